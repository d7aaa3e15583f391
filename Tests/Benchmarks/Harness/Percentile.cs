namespace OrleansDcos.Benchmarks.Harness;

/// <summary>Nearest-rank percentiles of a sorted list (NaN when it is empty).</summary>
internal static class Percentile
{
    /// <summary>The value at or below which a fraction <paramref name="p"/> (0–1) of <paramref name="sorted"/> lies.</summary>
    public static double Of(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

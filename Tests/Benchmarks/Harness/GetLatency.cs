using System.Diagnostics;

namespace OrleansDcos.Benchmarks.Harness;

/// <summary>The latency of one GET, asked again and again.</summary>
internal static class GetLatency
{
    /// <summary>
    /// Asks <paramref name="path"/> <paramref name="warmUp"/> times unmeasured, then <paramref name="rounds"/> times
    /// (whole answer read, each must succeed): the median and the 99th percentile, in milliseconds.
    /// </summary>
    public static async Task<(double P50, double P99)> MeasureAsync(HttpClient http, string path, int rounds, int warmUp, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        for (var i = 0; i < rounds + warmUp; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            if (i >= warmUp)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return (times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.99) - 1]);
    }
}

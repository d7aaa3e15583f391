namespace OrleansDcos.Grains;

/// <summary>
/// Where the grains' randomness comes from (the allocator's and Marathon's placement order among equal agents): the
/// system's by default; a seed makes a silo's choices repeat from run to run (tests, benchmarks, reproducing a report).
/// </summary>
public sealed class RandomSource
{
    private readonly int? _seed;
    private int _made;

    /// <summary>Unseeded: every <see cref="Create"/> is seeded by the system.</summary>
    public RandomSource()
    {
    }

    /// <summary>Seeded: the n-th <see cref="Create"/> of a silo is the same generator in every run.</summary>
    public RandomSource(int seed) => _seed = seed;

    /// <summary>A generator for one user (a grain activation).</summary>
    public Random Create() => _seed is { } seed ? new Random(unchecked(seed * 31 + Interlocked.Increment(ref _made))) : new Random();
}

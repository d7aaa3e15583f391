using System.Collections.Concurrent;

namespace OrleansDcos.Tests.Orleans.Clustering;

/// <summary>The reminder's ticks, by grain key: shared by every silo of an in-process cluster.</summary>
public static class ProbeTicks
{
    /// <summary>Ticks so far.</summary>
    public static ConcurrentDictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);
}

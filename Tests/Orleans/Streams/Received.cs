using System.Collections.Concurrent;

namespace OrleansDcos.Tests.Orleans.Streams;

/// <summary>What every recorder received, by its key (shared by all silos of an in-process cluster).</summary>
public static class Received
{
    /// <summary>(tick number, position) in order of arrival, per recorder key.</summary>
    public static ConcurrentDictionary<string, List<(int Number, long Position)>> ByKey { get; } = new(StringComparer.Ordinal);

    /// <summary>What <paramref name="key"/> received so far (a copy).</summary>
    public static (int Number, long Position)[] Of(string key)
    {
        var list = ByKey.GetOrAdd(key, _ => []);
        lock (list)
        {
            return [.. list];
        }
    }

    /// <summary>Records one delivery.</summary>
    public static void Add(string key, int number, long position)
    {
        var list = ByKey.GetOrAdd(key, _ => []);
        lock (list)
        {
            list.Add((number, position));
        }
    }
}

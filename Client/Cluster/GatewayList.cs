namespace OrleansDcos.Client.Cluster;

/// <summary>
/// The gateways and which are usable: each grain (by interface and key) is pinned to one gateway so
/// its calls keep their order; a gateway that refused a connection is skipped for a while, and the
/// grain moves to the next usable one.
/// </summary>
internal sealed class GatewayList(IReadOnlyList<Uri> gateways, TimeSpan retryDelay)
{
    private readonly long[] _downUntil = new long[gateways.Count];

    public int Count => gateways.Count;

    public IReadOnlyList<Uri> All => gateways;

    /// <summary>A list over <paramref name="updated"/>, keeping what is known of gateways that stay.</summary>
    public GatewayList With(IReadOnlyList<Uri> updated)
    {
        var list = new GatewayList(updated, retryDelay);
        for (var i = 0; i < updated.Count; i++)
        {
            var old = IndexOf(updated[i]);
            if (old >= 0)
            {
                list._downUntil[i] = Volatile.Read(ref _downUntil[old]);
            }
        }

        return list;
    }

    /// <summary>
    /// The gateways to try for <paramref name="pin"/>, in order: from its pinned gateway onwards, the
    /// usable ones first, then those that refused recently (better a try than a certain failure).
    /// </summary>
    public IReadOnlyList<Uri> Candidates(string pin)
    {
        var start = (int)((uint)StableHash(pin) % (uint)gateways.Count);
        var now = Environment.TickCount64;
        return Enumerable.Range(0, gateways.Count)
            .Select(i => (start + i) % gateways.Count)
            .OrderBy(i => Volatile.Read(ref _downUntil[i]) > now ? 1 : 0)
            .Select(i => gateways[i])
            .ToArray();
    }

    public void MarkDown(Uri gateway)
    {
        var index = IndexOf(gateway);
        if (index >= 0)
        {
            Volatile.Write(ref _downUntil[index], Environment.TickCount64 + (long)retryDelay.TotalMilliseconds);
        }
    }

    private int IndexOf(Uri gateway)
    {
        for (var i = 0; i < gateways.Count; i++)
        {
            if (gateways[i] == gateway)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>FNV-1a: the same pin maps to the same gateway in every process (string.GetHashCode is randomized).</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}

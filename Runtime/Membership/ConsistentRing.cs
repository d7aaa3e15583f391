namespace OrleansDcos.Runtime.Membership;

/// <summary>
/// A consistent-hash ring over silos (30 virtual points each): a key belongs to the first point at or after
/// its hash. When a silo joins or leaves, only the keys of its ranges move. Pure and deterministic.
/// </summary>
public sealed class ConsistentRing
{
    /// <summary>Virtual points per silo.</summary>
    public const int PointsPerSilo = 30;

    private readonly (uint Point, SiloAddress Silo)[] _points;

    /// <summary>A ring over <paramref name="silos"/>.</summary>
    public ConsistentRing(IEnumerable<SiloAddress> silos) =>
        _points = silos.SelectMany(s => Enumerable.Range(0, PointsPerSilo).Select(i => (Hash($"{s}#{i}"), s)))
            .OrderBy(p => p.Item1).ThenBy(p => p.s).ToArray();

    /// <summary>True when the ring has no silo.</summary>
    public bool IsEmpty => _points.Length == 0;

    /// <summary>The silo owning <paramref name="key"/>.</summary>
    public SiloAddress Owner(string key)
    {
        if (_points.Length == 0)
        {
            throw new InvalidOperationException("the ring has no silo");
        }

        var hash = Hash(key);
        int lo = 0, hi = _points.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_points[mid].Point < hash)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return _points[lo == _points.Length ? 0 : lo].Silo;
    }

    /// <summary>FNV-1a, then a final avalanche so nearby keys spread over the ring.</summary>
    public static uint Hash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        hash ^= hash >> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35;
        return hash ^ (hash >> 16);
    }
}

/// <summary>Which keys (reminders, streams) this silo is responsible for, and when that changes.</summary>
public interface IRingOwnership
{
    /// <summary>True when this silo owns <paramref name="key"/>.</summary>
    bool Owns(string key);

    /// <summary>The silo owning <paramref name="key"/> (null in a single silo).</summary>
    SiloAddress? OwnerOf(string key);

    /// <summary>Raised when ownership may have moved (membership changed).</summary>
    event Action? Changed;
}

/// <summary>A single silo owns everything.</summary>
internal sealed class SingleSiloOwnership : IRingOwnership
{
    public bool Owns(string key) => true;

    public SiloAddress? OwnerOf(string key) => null;

    public event Action? Changed
    {
        add { }
        remove { }
    }
}

/// <summary>Ownership by the ring of the Active silos of this silo's current membership view.</summary>
internal sealed class MembershipRingOwnership : IRingOwnership
{
    private readonly ClusterMembership _membership;
    private volatile ConsistentRing _ring = new([]);

    public MembershipRingOwnership(ClusterMembership membership)
    {
        _membership = membership;
        membership.Changed += snapshot =>
        {
            var ring = new ConsistentRing(snapshot.ActiveSilos);
            _ring = ring;
            Changed?.Invoke();
        };
    }

    public bool Owns(string key) => _membership.IsAdmitting && _membership.Self is { } self && OwnerOf(key) == self;

    public SiloAddress? OwnerOf(string key) => _ring.IsEmpty ? null : _ring.Owner(key);

    public event Action? Changed;
}

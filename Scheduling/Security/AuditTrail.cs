namespace OrleansDcos.Scheduling.Security;

/// <summary>
/// The audit trail kept bounded: the newest <see cref="Capacity"/> entries, oldest dropped first, each with a
/// sequence number so a reader continues where it stopped; readers see only the entries of principals (or paths) they
/// may read. Not thread-safe (its grain owns it).
/// </summary>
public sealed class AuditTrail
{
    private readonly Queue<(long Sequence, AuditEntry Entry)> _entries = new();
    private long _sequence;

    /// <summary>An empty trail of at most <paramref name="capacity"/> entries.</summary>
    public AuditTrail(int capacity) => Capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>A trail that goes on from saved entries (oldest first) and the last sequence number given out.</summary>
    public AuditTrail(int capacity, IEnumerable<(long Sequence, AuditEntry Entry)> saved, long lastSequence, long dropped)
        : this(capacity)
    {
        foreach (var entry in saved)
        {
            _entries.Enqueue(entry);
        }

        _sequence = lastSequence;
        Dropped = dropped;
        Trim();
    }

    /// <summary>The most entries kept.</summary>
    public int Capacity { get; }

    /// <summary>The last sequence number given out.</summary>
    public long LastSequence => _sequence;

    /// <summary>The entries kept, oldest first.</summary>
    public IEnumerable<(long Sequence, AuditEntry Entry)> Entries => _entries;

    /// <summary>Entries dropped so far to stay within <see cref="Capacity"/>.</summary>
    public long Dropped { get; private set; }

    /// <summary>Records an entry; returns its sequence number.</summary>
    public long Add(AuditEntry entry)
    {
        _entries.Enqueue((++_sequence, entry with
        {
            Path = entry.Path.Length > 2048 ? entry.Path[..2048] : entry.Path,
            Detail = entry.Detail is { Length: > 1024 } detail ? detail[..1024] : entry.Detail,
        }));
        while (_entries.Count > Capacity)
        {
            _entries.Dequeue();
            Dropped++;
        }

        return _sequence;
    }

    private void Trim()
    {
        while (_entries.Count > Capacity)
        {
            _entries.Dequeue();
            Dropped++;
        }
    }

    /// <summary>Up to <paramref name="limit"/> entries after <paramref name="after"/> that <paramref name="visible"/> lets through, oldest first.</summary>
    public IReadOnlyList<(long Sequence, AuditEntry Entry)> Read(long after, int limit, Func<AuditEntry, bool> visible) =>
        [.. _entries.Where(e => e.Sequence > after && visible(e.Entry)).Take(Math.Clamp(limit, 0, Capacity))];
}

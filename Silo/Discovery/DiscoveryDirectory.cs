using OrleansDcos.Scheduling.Discovery;

namespace OrleansDcos.Silo.Discovery;

/// <summary>
/// This silo's records in force: written by the feed (one writer), read by the DNS server and the HTTP API. A lock
/// guards the record set; every read copies what it returns, so no reader holds it long.
/// </summary>
public sealed class DiscoveryDirectory(DnsZone zone)
{
    /// <summary>The owner key of the cluster's own records (masters, agents, name server).</summary>
    public const string ClusterOwner = "";

    private readonly Lock _lock = new();
    private readonly DnsRecordSet _records = new();
    private uint _serial = 1;

    /// <summary>The zone answered.</summary>
    public DnsZone Zone { get; } = zone;

    /// <summary>Grows at every change: the SOA's serial.</summary>
    public uint Serial
    {
        get
        {
            lock (_lock)
            {
                return _serial;
            }
        }
    }

    /// <summary>Replaces what <paramref name="owner"/> publishes (none removes it).</summary>
    public void Set(string owner, IReadOnlyList<DnsRecord> records)
    {
        lock (_lock)
        {
            if (records.Count == 0 && !_records.Has(owner))
            {
                return;
            }

            _records.Set(owner, records);
            _serial++;
        }
    }

    /// <summary>Whether <paramref name="owner"/> publishes records.</summary>
    public bool Has(string owner)
    {
        lock (_lock)
        {
            return _records.Has(owner);
        }
    }

    /// <summary>The answer to a question (shuffled with <paramref name="random"/>, which the caller owns).</summary>
    public DnsAnswer Answer(string name, DnsQuestionType type, Random random)
    {
        lock (_lock)
        {
            return DnsAnswers.Answer(_records, Zone, name, type, random);
        }
    }

    /// <summary>Every record, each once.</summary>
    public IReadOnlyList<DnsRecord> All()
    {
        lock (_lock)
        {
            return [.. _records.All()];
        }
    }

    /// <summary>Each owner's records (the task ids and the cluster's key).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<DnsRecord>> ByOwner(IEnumerable<string> owners)
    {
        lock (_lock)
        {
            return owners.Distinct(StringComparer.Ordinal).ToDictionary(o => o, o => _records.Of(o), StringComparer.Ordinal);
        }
    }
}

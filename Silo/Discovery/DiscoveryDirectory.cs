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
    private readonly Dictionary<string, (string Framework, string Name)> _tasks = new(StringComparer.Ordinal);
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
            if (records.Count == 0)
            {
                _tasks.Remove(owner);
            }

            _serial++;
        }
    }

    /// <summary>Replaces what task <paramref name="taskId"/> (<paramref name="name"/> of <paramref name="framework"/>) publishes.</summary>
    public void SetTask(string taskId, string framework, string name, IReadOnlyList<DnsRecord> records)
    {
        lock (_lock)
        {
            Set(taskId, records);
            if (records.Count > 0)
            {
                _tasks[taskId] = (framework, name);
            }
        }
    }

    /// <summary>Every task published, with its framework, name and records (Mesos-DNS' <c>/v1/enumerate</c>).</summary>
    public IReadOnlyList<(string TaskId, string Framework, string Name, IReadOnlyList<DnsRecord> Records)> Tasks()
    {
        lock (_lock)
        {
            return [.. _tasks.Select(kv => (kv.Key, kv.Value.Framework, kv.Value.Name, _records.Of(kv.Key)))];
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

    /// <summary>The records of <paramref name="name"/> of <paramref name="type"/> (lower case, fully qualified), each once.</summary>
    public IReadOnlyList<DnsRecord> Lookup(string name, DnsRecordType type)
    {
        lock (_lock)
        {
            return _records.Lookup(DnsAnswers.Normalize(name), type);
        }
    }
}

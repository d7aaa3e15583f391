namespace OrleansDcos.Scheduling.Discovery;

/// <summary>
/// The records in force, kept by owner (a task id, or the cluster's own key): an owner's records are replaced or
/// removed whole, in time proportional to its own records, so a task's RUNNING or end changes the answers at once
/// without rebuilding the rest. Two owners may publish the same record (two tasks of one name on one agent give the
/// same <c>web.marathon.slave.mesos</c> A record); it stays until the last of them goes. Not thread-safe: one
/// writer; readers take <see cref="Lookup"/>'s copies.
/// </summary>
public sealed class DnsRecordSet
{
    private readonly Dictionary<string, IReadOnlyList<DnsRecord>> _byOwner = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<DnsRecord, int>> _byName = new(StringComparer.Ordinal);

    /// <summary>How many owners publish records.</summary>
    public int Owners => _byOwner.Count;

    /// <summary>How many names have records.</summary>
    public int Names => _byName.Count;

    /// <summary>Replaces what <paramref name="owner"/> publishes (none: it is removed).</summary>
    public void Set(string owner, IReadOnlyList<DnsRecord> records)
    {
        Remove(owner);
        if (records.Count == 0)
        {
            return;
        }

        var distinct = records.Distinct().ToList();
        _byOwner[owner] = distinct;
        foreach (var record in distinct)
        {
            if (!_byName.TryGetValue(record.Name, out var counts))
            {
                _byName[record.Name] = counts = [];
            }

            counts[record] = counts.GetValueOrDefault(record) + 1;
        }
    }

    /// <summary>Takes out what <paramref name="owner"/> publishes.</summary>
    public void Remove(string owner)
    {
        if (!_byOwner.Remove(owner, out var records))
        {
            return;
        }

        foreach (var record in records)
        {
            var counts = _byName[record.Name];
            if (counts[record] == 1)
            {
                counts.Remove(record);
                if (counts.Count == 0)
                {
                    _byName.Remove(record.Name);
                }
            }
            else
            {
                counts[record]--;
            }
        }
    }

    /// <summary>Whether <paramref name="owner"/> publishes records.</summary>
    public bool Has(string owner) => _byOwner.ContainsKey(owner);

    /// <summary>Whether any record has the name <paramref name="name"/> (fully qualified, lower case).</summary>
    public bool Exists(string name) => _byName.ContainsKey(name);

    /// <summary>The records of <paramref name="name"/> of <paramref name="type"/>, each once.</summary>
    public IReadOnlyList<DnsRecord> Lookup(string name, DnsRecordType type) =>
        _byName.TryGetValue(name, out var counts) ? [.. counts.Keys.Where(r => r.Type == type)] : [];

    /// <summary>Every record, each once, by name.</summary>
    public IEnumerable<DnsRecord> All() => _byName.Values.SelectMany(counts => counts.Keys);

    /// <summary>The records <paramref name="owner"/> publishes.</summary>
    public IReadOnlyList<DnsRecord> Of(string owner) => _byOwner.GetValueOrDefault(owner) ?? [];
}

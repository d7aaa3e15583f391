using System.Globalization;

namespace OrleansDcos.Runtime.Reminders;

/// <summary>Reminders in memory (unit tests; not durable).</summary>
public sealed class MemoryReminderTable : IReminderTable
{
    private readonly Dictionary<(GrainId, string), ReminderEntry> _entries = [];

    /// <inheritdoc />
    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            return Task.FromResult<IReadOnlyList<ReminderEntry>>([.. _entries.Values]);
        }
    }

    /// <inheritdoc />
    public Task<ReminderEntry?> ReadAsync(GrainId grainId, string name, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            return Task.FromResult(_entries.GetValueOrDefault((grainId, name)));
        }
    }

    /// <inheritdoc />
    public Task<string> UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            var version = _entries.TryGetValue((entry.GrainId, entry.Name), out var old) ? long.Parse(old.Etag, CultureInfo.InvariantCulture) + 1 : 1;
            var etag = version.ToString(CultureInfo.InvariantCulture);
            _entries[(entry.GrainId, entry.Name)] = entry with { Etag = etag };
            return Task.FromResult(etag);
        }
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            return Task.FromResult(_entries.Remove((grainId, name)));
        }
    }
}

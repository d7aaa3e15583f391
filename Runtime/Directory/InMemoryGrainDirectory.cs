using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Runtime.Directory;

/// <summary>The directory in memory (a single silo, or silos sharing a process).</summary>
public sealed class InMemoryGrainDirectory : IGrainDirectory
{
    private readonly Dictionary<GrainId, DirectoryEntry> _entries = [];

    /// <inheritdoc />
    public async Task<DirectoryEntry> RegisterAsync(DirectoryEntry entry, Func<DirectoryEntry, Task<bool>> isStale, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            DirectoryEntry? existing;
            lock (_entries)
            {
                if (!_entries.TryGetValue(entry.Grain, out existing))
                {
                    _entries[entry.Grain] = entry;
                    return entry;
                }
            }

            if (!await isStale(existing))
            {
                return existing;
            }

            lock (_entries)
            {
                // Replace only the holder judged stale; a newer registration that raced in wins instead.
                if (_entries.TryGetValue(entry.Grain, out var now) && now == existing)
                {
                    _entries[entry.Grain] = entry;
                    return entry;
                }
            }
        }
    }

    /// <inheritdoc />
    public Task<DirectoryEntry?> LookupAsync(GrainId grain, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            return Task.FromResult(_entries.GetValueOrDefault(grain));
        }
    }

    /// <inheritdoc />
    public Task UnregisterAsync(DirectoryEntry entry, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            if (_entries.TryGetValue(entry.Grain, out var existing) && existing.ActivationId == entry.ActivationId)
            {
                _entries.Remove(entry.Grain);
            }

            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public Task UnregisterSilosAsync(IReadOnlyCollection<SiloAddress> silos, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            foreach (var gone in _entries.Values.Where(e => silos.Contains(e.Silo)).ToArray())
            {
                _entries.Remove(gone.Grain);
            }

            return Task.CompletedTask;
        }
    }
}

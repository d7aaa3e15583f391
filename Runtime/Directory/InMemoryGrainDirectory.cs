using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Runtime.Directory;

/// <summary>The directory in memory (a single silo, or silos sharing a process).</summary>
public sealed class InMemoryGrainDirectory : IGrainDirectory
{
    private readonly Dictionary<GrainId, DirectoryEntry> _entries = [];

    /// <inheritdoc />
    public Task<DirectoryEntry> RegisterAsync(DirectoryEntry entry, Func<DirectoryEntry, bool> isStale, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            if (_entries.TryGetValue(entry.Grain, out var existing) && !isStale(existing))
            {
                return Task.FromResult(existing);
            }

            _entries[entry.Grain] = entry;
            return Task.FromResult(entry);
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

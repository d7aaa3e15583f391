namespace OrleansDcos.Runtime.Membership;

/// <summary>The membership table in memory: a single silo (embedded mode) or silos sharing one process.</summary>
public sealed class InMemoryMembershipTable : IMembershipTable
{
    private readonly object _lock = new();
    private readonly Dictionary<SiloAddress, MembershipEntry> _rows = [];
    private long _version;
    private event Action? Changed;

    /// <inheritdoc />
    public Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(new MembershipSnapshot(_version, [.. _rows.Values]));
        }
    }

    /// <inheritdoc />
    public Task<bool> InsertAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default) =>
        Mutate(expectedVersion, () => _rows.TryAdd(entry.Silo, entry));

    /// <inheritdoc />
    public Task<bool> UpdateAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default) =>
        Mutate(expectedVersion, () =>
        {
            if (!_rows.TryGetValue(entry.Silo, out var old) || old.Status == SiloStatus.Dead)
            {
                return false;
            }

            _rows[entry.Silo] = entry with { IAmAliveTime = old.IAmAliveTime, ActivationCount = old.ActivationCount };
            return true;
        });

    /// <inheritdoc />
    public Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset at, int activationCount, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_rows.TryGetValue(silo, out var row))
            {
                _rows[silo] = row with { IAmAliveTime = at, ActivationCount = activationCount };
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> CleanupAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var defunct = _rows.Values.Where(r => r.Status == SiloStatus.Dead && r.IAmAliveTime < olderThan).Select(r => r.Silo).ToArray();
            foreach (var silo in defunct)
            {
                _rows.Remove(silo);
            }

            return Task.FromResult(defunct.Length);
        }
    }

    /// <inheritdoc />
    public async Task ListenAsync(Action changed, CancellationToken cancellationToken)
    {
        Changed += changed;
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped listening.
        }
        finally
        {
            Changed -= changed;
        }
    }

    private Task<bool> Mutate(long expectedVersion, Func<bool> change)
    {
        lock (_lock)
        {
            if (_version != expectedVersion || !change())
            {
                return Task.FromResult(false);
            }

            _version++;
        }

        Changed?.Invoke();
        return Task.FromResult(true);
    }
}

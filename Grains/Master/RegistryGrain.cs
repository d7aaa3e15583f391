using Orleans;
using Orleans.Runtime;
using OrleansDcos.Grains.Concurrency;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// A durable list of agent ids (one shard) or framework ids, so a failover can find everything to rebuild. Changes
/// interleave and share writes: each caller returns once a write holding its change is done.
/// </summary>
internal sealed class RegistryGrain([PersistentState("registry")] IPersistentState<RegistryState> state) : Grain, IRegistryGrain
{
    private readonly CoalescedWrites _writes = new(() => state.WriteStateAsync());

    /// <inheritdoc />
    public Task Add(string id) => Set(id, removed: false);

    /// <inheritdoc />
    public Task MarkRemoved(string id) => Set(id, removed: true);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, bool>> List() =>
        Task.FromResult<IReadOnlyDictionary<string, bool>>(new Dictionary<string, bool>(state.State.Ids, StringComparer.Ordinal));

    private Task Set(string id, bool removed)
    {
        // Added once (a later Add leaves a removed id removed); removed for good. Already so: once that is written.
        if (state.State.Ids.TryGetValue(id, out var was) && (was || !removed))
        {
            return _writes.SettledAsync();
        }

        state.State.Ids[id] = removed;
        return _writes.PersistAsync();
    }
}

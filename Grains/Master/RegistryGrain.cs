using OrleansDcos.Runtime;

namespace OrleansDcos.Grains.Master;

/// <summary>Stored ids with a removed flag; written on each change (ids are added once per agent or framework).</summary>
public sealed class RegistryState
{
    /// <summary>Id → removed.</summary>
    public Dictionary<string, bool> Ids { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A durable list of agent ids (one shard) or framework ids, so a failover can find everything to rebuild.</summary>
public sealed class RegistryGrain([PersistentState("registry")] IPersistentState<RegistryState> state) : Grain, IRegistryGrain
{
    /// <inheritdoc />
    public async Task Add(string id)
    {
        if (!state.State.Ids.ContainsKey(id))
        {
            state.State.Ids[id] = false;
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public async Task MarkRemoved(string id)
    {
        if (!state.State.Ids.TryGetValue(id, out var removed) || !removed)
        {
            state.State.Ids[id] = true;
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, bool>> List() =>
        Task.FromResult<IReadOnlyDictionary<string, bool>>(new Dictionary<string, bool>(state.State.Ids, StringComparer.Ordinal));
}

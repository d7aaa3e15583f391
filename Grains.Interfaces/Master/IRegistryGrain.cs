using Orleans;
using Orleans.Concurrency;

namespace OrleansDcos.Grains.Master;

/// <summary>A durable list of ids (agents in shards, frameworks in one) so a failover can find everything to rebuild.</summary>
[Alias("dcos.IRegistryGrain")]
public interface IRegistryGrain : IGrainWithStringKey
{
    /// <summary>Adds an id (idempotent). Interleaves: concurrent changes share one write.</summary>
    [AlwaysInterleave]
    Task Add(string id);

    /// <summary>Marks an id removed (it stays listed as removed). Interleaves: concurrent changes share one write.</summary>
    [AlwaysInterleave]
    Task MarkRemoved(string id);

    /// <summary>The ids and whether each was removed.</summary>
    [ReadOnly]
    Task<IReadOnlyDictionary<string, bool>> List();
}

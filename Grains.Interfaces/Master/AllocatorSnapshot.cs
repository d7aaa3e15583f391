using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>The allocator's view.</summary>
[GenerateSerializer]
[Alias("dcos.AllocatorSnapshot")]
public sealed record AllocatorSnapshot(
    IReadOnlyList<AgentAllocationInfo> Agents,
    IReadOnlyList<OfferInfo> Offers,
    IReadOnlyDictionary<string, double> RoleShares,
    IReadOnlyDictionary<string, double> FrameworkShares);

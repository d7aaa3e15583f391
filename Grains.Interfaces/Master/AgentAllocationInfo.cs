using Orleans;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Grains.Master;

/// <summary>One agent in the allocator.</summary>
[GenerateSerializer]
[Alias("dcos.AgentAllocationInfo")]
public sealed record AgentAllocationInfo(string AgentId, Resources Total, Resources Free, Resources Offered, Resources Used, bool Active);

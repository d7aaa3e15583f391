using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>One agent in the allocator (Mesos syntax).</summary>
[GenerateSerializer]
[Alias("dcos.AgentAllocationInfo")]
public sealed record AgentAllocationInfo(string AgentId, string Total, string Free, string Offered, string Used, bool Active);

using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A task to kill.</summary>
[GenerateSerializer]
[Alias("dcos.InstanceKill")]
public sealed record InstanceKill(string TaskId, string AgentId, TimeSpan? GracePeriod);

using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>A task named in RECONCILE (the agent is optional).</summary>
[GenerateSerializer]
[Alias("dcos.ReconcileTask")]
public sealed record ReconcileTask(string TaskId, string? AgentId = null);

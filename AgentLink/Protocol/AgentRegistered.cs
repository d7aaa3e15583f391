using System.Text.Json.Serialization;
using Orleans;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.AgentLink;

/// <summary>The master's answer to a registration; <see cref="Credential"/> is the agent credential handed out once, at its first enrollment with a join token.</summary>
[GenerateSerializer]
[Alias("dcos.AgentRegistered")]
public sealed record AgentRegistered(
    [property: JsonPropertyName("agent_id")] string AgentId,
    [property: JsonPropertyName("heartbeat_interval_seconds")] double HeartbeatIntervalSeconds,
    [property: JsonPropertyName("kill_tasks")] IReadOnlyList<string> KillTasks,
    [property: JsonPropertyName("checkpointed_resources")] Resources? CheckpointedResources = null,
    [property: JsonPropertyName("credential")] string? Credential = null);

using System.Text.Json.Serialization;
using Orleans;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// One task status as the task-status stream carries it: the update, the agent it came from and, for updates from the
/// agent, the agent's IP (its host-networked tasks' address: Mesos' <c>container_status.network_infos</c>) and what
/// discovery names the task by — its name, ports and whether it is health-checked — so the DNS servers following the stream need not ask.
/// </summary>
[GenerateSerializer]
[Alias("dcos.TaskStatusEvent")]
public sealed record TaskStatusEvent(
    [property: JsonPropertyName("agent_id")] string AgentId,
    [property: JsonPropertyName("status")] TaskStatusUpdate Status,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("agent_ip")] string? AgentIp = null,
    [property: JsonPropertyName("task_name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TaskName = null,
    [property: JsonPropertyName("discovery"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AgentLink.DiscoverySpec? Discovery = null);

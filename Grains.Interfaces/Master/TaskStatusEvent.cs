using System.Text.Json.Serialization;
using Orleans;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// One task status as the task-status stream carries it: the update, the agent it came from and, for updates from the
/// agent, the agent's IP (its host-networked tasks' address: Mesos' <c>container_status.network_infos</c>).
/// </summary>
[GenerateSerializer]
[Alias("dcos.TaskStatusEvent")]
public sealed record TaskStatusEvent(
    [property: JsonPropertyName("agent_id")] string AgentId,
    [property: JsonPropertyName("status")] TaskStatusUpdate Status,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("agent_ip")] string? AgentIp = null);

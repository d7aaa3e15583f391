using System.Text.Json.Serialization;
using Orleans;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Master;

/// <summary>One task status as the task-status stream carries it: the update and the agent it came from.</summary>
[GenerateSerializer]
[Alias("dcos.TaskStatusEvent")]
public sealed record TaskStatusEvent(
    [property: JsonPropertyName("agent_id")] string AgentId,
    [property: JsonPropertyName("status")] TaskStatusUpdate Status,
    [property: JsonPropertyName("source")] string Source);

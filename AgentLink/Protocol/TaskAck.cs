using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.AgentLink;

/// <summary>A status update acknowledged by its framework: the agent may forget it.</summary>
[GenerateSerializer]
[Alias("dcos.TaskAck")]
public sealed record TaskAck(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("framework_id")] string FrameworkId,
    [property: JsonPropertyName("uuid")] Guid Uuid);

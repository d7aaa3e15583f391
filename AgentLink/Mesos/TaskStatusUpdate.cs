using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Mesos;

/// <summary>
/// One status update of a task, as the agent reports it. The <see cref="Uuid"/> names this update: the
/// receiver acknowledges it by uuid, and the agent resends it (in order per task) until it is acknowledged.
/// </summary>
[GenerateSerializer]
[Alias("dcos.TaskStatusUpdate")]
public sealed record TaskStatusUpdate(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("framework_id")] string FrameworkId,
    [property: JsonPropertyName("state")] TaskState State,
    [property: JsonPropertyName("uuid")] Guid Uuid,
    [property: JsonPropertyName("timestamp")] double Timestamp,
    [property: JsonPropertyName("reason")] string? Reason = null,
    [property: JsonPropertyName("message")] string? Message = null,
    [property: JsonPropertyName("healthy")] bool? Healthy = null,
    [property: JsonPropertyName("container_id")] string? ContainerId = null);

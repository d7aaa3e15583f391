using System.Text.Json.Serialization;
using Orleans;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.AgentLink;

/// <summary>A task as its agent reports it: on re-registration, and in the master's view of the agent.</summary>
[GenerateSerializer]
[Alias("dcos.AgentTask")]
public sealed record AgentTask(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("framework_id")] string FrameworkId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("resources")] Resources Resources,
    [property: JsonPropertyName("state")] TaskState State,
    [property: JsonPropertyName("healthy")] bool? Healthy = null,
    [property: JsonPropertyName("timestamp")] double Timestamp = 0,
    [property: JsonPropertyName("reason")] string? Reason = null,
    [property: JsonPropertyName("message")] string? Message = null,
    [property: JsonPropertyName("discovery"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DiscoverySpec? Discovery = null);

using System.Text.Json.Serialization;
using Orleans;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.AgentLink;

/// <summary>A command from the master to a node daemon (docs/agent-protocol.md); <see cref="Type"/> says which fields are set.</summary>
[GenerateSerializer]
[Alias("dcos.AgentCommand")]
public sealed record AgentCommand(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("framework_id")] string? FrameworkId = null,
    [property: JsonPropertyName("tasks")] IReadOnlyList<TaskSpec>? Tasks = null,
    [property: JsonPropertyName("task_id")] string? TaskId = null,
    [property: JsonPropertyName("grace_period_seconds")] double? GracePeriodSeconds = null,
    [property: JsonPropertyName("acks")] IReadOnlyList<TaskAck>? Acks = null,
    [property: JsonPropertyName("log")] LogRequest? Log = null,
    [property: JsonPropertyName("resources"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Resources? Resources = null);

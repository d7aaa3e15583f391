using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.AgentLink;

/// <summary>An enrollment (first) or re-registration (after a daemon restart or a lost link) with the tasks the daemon runs.</summary>
[GenerateSerializer]
[Alias("dcos.AgentRegistration")]
public sealed record AgentRegistration(
    [property: JsonPropertyName("agent")] AgentInfo Agent,
    [property: JsonPropertyName("tasks")] IReadOnlyList<AgentTask> Tasks);

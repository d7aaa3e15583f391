using System.Text.Json.Serialization;
using Orleans;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.AgentLink;

/// <summary>
/// One task to launch, as the master sends it to the agent (<c>LAUNCH</c>): what to run, with what
/// resources (Mesos syntax, ports included), under which framework and role. A kill reports TASK_KILLING at once (DNS
/// and load balancers drop the task), waits <see cref="ShutdownDelaySeconds"/> (as Nomad's <c>shutdown_delay</c>: the
/// requests already routed to it finish), then signals it and escalates after <see cref="KillGracePeriodSeconds"/>.
/// <see cref="Secrets"/> are environment variables whose values come from the secret store: the agent adds them to the
/// task's environment and never writes them down; a task naming <see cref="MissingSecrets"/> (deleted since the app was
/// deployed) fails at once, saying which.
/// </summary>
[GenerateSerializer]
[Alias("dcos.TaskSpec")]
public sealed record TaskSpec(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("framework_id")] string FrameworkId,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("resources")] Resources Resources,
    [property: JsonPropertyName("command")] CommandSpec? Command = null,
    [property: JsonPropertyName("docker")] DockerSpec? Docker = null,
    [property: JsonPropertyName("health_check")] HealthCheckSpecDto? HealthCheck = null,
    [property: JsonPropertyName("kill_grace_period_seconds")] double? KillGracePeriodSeconds = null,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string>? Labels = null,
    [property: JsonPropertyName("group_id")] string? GroupId = null,
    [property: JsonPropertyName("discovery"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DiscoverySpec? Discovery = null,
    [property: JsonPropertyName("shutdown_delay_seconds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ShutdownDelaySeconds = null,
    [property: JsonPropertyName("volumes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SandboxVolumeSpec>? Volumes = null,
    [property: JsonPropertyName("secrets"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Secrets = null,
    [property: JsonPropertyName("missing_secrets"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? MissingSecrets = null)
{
    /// <summary>The task without its secret values: what may be written to disk or shown.</summary>
    public TaskSpec WithoutSecrets() => Secrets is null ? this : this with { Secrets = null };
}

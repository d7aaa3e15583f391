using System.Text.Json.Serialization;
using OrleansDcos.Grains.Agents;
using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// What a node daemon says about itself when it enrolls (docs/agent-protocol.md, <c>REGISTER</c>).
/// <see cref="Resources"/> and <see cref="Attributes"/> use the Mesos agent syntax
/// (<c>cpus:8;mem:16384;ports:[31000-32000]</c>, <c>rack:r1;zone:a</c>); <see cref="Address"/> is filled in by the
/// silo (the link's peer address); <see cref="Port"/> is the agent's advertised port (Mesos' <c>--port</c>);
/// <see cref="Region"/> and <see cref="Zone"/> are its fault domain, when it has one.
/// </summary>
[GenerateSerializer]
[Alias("dcos.AgentInfo")]
public sealed record AgentInfo(
    [property: JsonPropertyName("agent_id")] string AgentId,
    [property: JsonPropertyName("hostname")] string Hostname,
    [property: JsonPropertyName("resources")] string Resources,
    [property: JsonPropertyName("attributes")] string Attributes = "",
    [property: JsonPropertyName("version")] string Version = "",
    [property: JsonPropertyName("address")] string? Address = null,
    [property: JsonPropertyName("port")] int Port = AgentInfo.DefaultPort,
    [property: JsonPropertyName("region")] string? Region = null,
    [property: JsonPropertyName("zone")] string? Zone = null)
{
    /// <summary>Mesos' default agent port.</summary>
    public const int DefaultPort = 5051;
}

/// <summary>A task as its agent reports it: on re-registration, and in the master's view of the agent.</summary>
[GenerateSerializer]
[Alias("dcos.AgentTask")]
public sealed record AgentTask(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("framework_id")] string FrameworkId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("resources")] string Resources,
    [property: JsonPropertyName("state")] TaskState State,
    [property: JsonPropertyName("healthy")] bool? Healthy = null,
    [property: JsonPropertyName("timestamp")] double Timestamp = 0,
    [property: JsonPropertyName("reason")] string? Reason = null,
    [property: JsonPropertyName("message")] string? Message = null);

/// <summary>An enrollment (first) or re-registration (after a daemon restart or a lost link) with the tasks the daemon runs.</summary>
[GenerateSerializer]
[Alias("dcos.AgentRegistration")]
public sealed record AgentRegistration(
    [property: JsonPropertyName("agent")] AgentInfo Agent,
    [property: JsonPropertyName("tasks")] IReadOnlyList<AgentTask> Tasks);

/// <summary>The master's answer to a registration.</summary>
[GenerateSerializer]
[Alias("dcos.AgentRegistered")]
public sealed record AgentRegistered(
    [property: JsonPropertyName("agent_id")] string AgentId,
    [property: JsonPropertyName("heartbeat_interval_seconds")] double HeartbeatIntervalSeconds,
    [property: JsonPropertyName("kill_tasks")] IReadOnlyList<string> KillTasks);

/// <summary>An agent's standing in the master.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentStatus>))]
public enum AgentStatus
{
    /// <summary>Never registered (or unknown).</summary>
    Unknown,

    /// <summary>Registered and heard from within the silence bound: offered.</summary>
    Active,

    /// <summary>Registered, but told to drain: not offered; its tasks are being killed.</summary>
    Draining,

    /// <summary>Registered, in maintenance (drained): not offered.</summary>
    Maintenance,

    /// <summary>Silent past the bound, or its link broke and it did not come back: not offered, tasks UNREACHABLE.</summary>
    Unreachable,

    /// <summary>Removed by the operator: never offered again, its tasks are GONE. Final.</summary>
    Gone,
}

/// <summary>How a framework's task runs: a command (process containerizer), optionally inside a Docker image.</summary>
[GenerateSerializer]
[Alias("dcos.CommandSpec")]
public sealed record CommandSpec(
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("shell")] bool Shell = true,
    [property: JsonPropertyName("arguments")] IReadOnlyList<string>? Arguments = null,
    [property: JsonPropertyName("environment")] IReadOnlyDictionary<string, string>? Environment = null,
    [property: JsonPropertyName("uris")] IReadOnlyList<UriSpec>? Uris = null,
    [property: JsonPropertyName("user")] string? User = null);

/// <summary>A URI the fetcher puts into the sandbox before the task starts.</summary>
[GenerateSerializer]
[Alias("dcos.UriSpec")]
public sealed record UriSpec(
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("extract")] bool Extract = true,
    [property: JsonPropertyName("executable")] bool Executable = false,
    [property: JsonPropertyName("cache")] bool Cache = false,
    [property: JsonPropertyName("output_file")] string? OutputFile = null);

/// <summary>A Docker container for the task (host networking).</summary>
[GenerateSerializer]
[Alias("dcos.DockerSpec")]
public sealed record DockerSpec(
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("force_pull_image")] bool ForcePullImage = false,
    [property: JsonPropertyName("volumes")] IReadOnlyList<VolumeSpec>? Volumes = null);

/// <summary>A host path mounted into a Docker container.</summary>
[GenerateSerializer]
[Alias("dcos.VolumeSpec")]
public sealed record VolumeSpec(
    [property: JsonPropertyName("host_path")] string HostPath,
    [property: JsonPropertyName("container_path")] string ContainerPath,
    [property: JsonPropertyName("mode")] string Mode = "RW");

/// <summary>An agent-side health check (Marathon's fields; protocol HTTP, HTTPS, TCP or COMMAND).</summary>
[GenerateSerializer]
[Alias("dcos.HealthCheckSpecDto")]
public sealed record HealthCheckSpecDto(
    [property: JsonPropertyName("protocol")] string Protocol,
    [property: JsonPropertyName("port_index")] int? PortIndex = null,
    [property: JsonPropertyName("port")] int? Port = null,
    [property: JsonPropertyName("path")] string? Path = null,
    [property: JsonPropertyName("command")] string? Command = null,
    [property: JsonPropertyName("grace_period_seconds")] double? GracePeriodSeconds = null,
    [property: JsonPropertyName("interval_seconds")] double? IntervalSeconds = null,
    [property: JsonPropertyName("timeout_seconds")] double? TimeoutSeconds = null,
    [property: JsonPropertyName("max_consecutive_failures")] int? MaxConsecutiveFailures = null,
    [property: JsonPropertyName("delay_seconds")] double? DelaySeconds = null,
    [property: JsonPropertyName("kill_on_failure")] bool KillOnFailure = true);

/// <summary>
/// One task to launch, as the master sends it to the agent (<c>LAUNCH</c>): what to run, with what
/// resources (Mesos syntax, ports included), under which framework and role.
/// </summary>
[GenerateSerializer]
[Alias("dcos.TaskSpec")]
public sealed record TaskSpec(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("framework_id")] string FrameworkId,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("resources")] string Resources,
    [property: JsonPropertyName("command")] CommandSpec? Command = null,
    [property: JsonPropertyName("docker")] DockerSpec? Docker = null,
    [property: JsonPropertyName("health_check")] HealthCheckSpecDto? HealthCheck = null,
    [property: JsonPropertyName("kill_grace_period_seconds")] double? KillGracePeriodSeconds = null,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string>? Labels = null,
    [property: JsonPropertyName("group_id")] string? GroupId = null);

/// <summary>A status update acknowledged by its framework: the agent may forget it.</summary>
[GenerateSerializer]
[Alias("dcos.TaskAck")]
public sealed record TaskAck(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("framework_id")] string FrameworkId,
    [property: JsonPropertyName("uuid")] Guid Uuid);

/// <summary>The kinds of <see cref="AgentCommand"/>.</summary>
public static class AgentCommandTypes
{
    /// <summary>Start <see cref="AgentCommand.Tasks"/> (one task, or a task group sharing <see cref="TaskSpec.GroupId"/>).</summary>
    public const string Launch = "LAUNCH";

    /// <summary>Kill <see cref="AgentCommand.TaskId"/> with <see cref="AgentCommand.GracePeriodSeconds"/>.</summary>
    public const string Kill = "KILL";

    /// <summary>Forget the acknowledged updates in <see cref="AgentCommand.Acks"/>.</summary>
    public const string Acknowledge = "ACKNOWLEDGE";

    /// <summary>Kill every task of <see cref="AgentCommand.FrameworkId"/> (torn down).</summary>
    public const string ShutdownFramework = "SHUTDOWN_FRAMEWORK";

    /// <summary>The master lost its view of this agent (failover): register again with the current tasks.</summary>
    public const string Reregister = "REREGISTER";

    /// <summary>Read part of a task's sandbox file (<see cref="AgentCommand.Log"/>).</summary>
    public const string ReadLog = "READ_LOG";
}

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
    [property: JsonPropertyName("log")] LogRequest? Log = null);

/// <summary>What a link receives when it polls: the commands after its cursor, or a request to register again.</summary>
[GenerateSerializer]
[Alias("dcos.AgentCommandBatch")]
public sealed record AgentCommandBatch(
    [property: JsonPropertyName("cursor")] long Cursor,
    [property: JsonPropertyName("commands")] IReadOnlyList<AgentCommand> Commands,
    [property: JsonPropertyName("reregister")] bool Reregister = false);

/// <summary>A request for part of a task's stdout or stderr.</summary>
[GenerateSerializer]
[Alias("dcos.LogRequest")]
public sealed record LogRequest(
    [property: JsonPropertyName("request_id")] Guid RequestId,
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("offset")] long Offset,
    [property: JsonPropertyName("length")] int Length);

/// <summary>The answer to a <see cref="LogRequest"/>: <see cref="Data"/> from <see cref="Offset"/>, and the file's size now.</summary>
[GenerateSerializer]
[Alias("dcos.LogChunk")]
public sealed record LogChunk(
    [property: JsonPropertyName("request_id")] Guid RequestId,
    [property: JsonPropertyName("offset")] long Offset,
    [property: JsonPropertyName("data")] string Data,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("error")] string? Error = null);

/// <summary>The master's view of one agent (operator API, <c>/master/slaves</c>).</summary>
[GenerateSerializer]
[Alias("dcos.AgentSnapshot")]
public sealed record AgentSnapshot(
    AgentInfo Info,
    AgentStatus Status,
    bool Connected,
    double RegisteredAt,
    double? UnreachableSince,
    IReadOnlyList<AgentTask> Tasks);

/// <summary>One task status as the task-status stream carries it: the update and the agent it came from.</summary>
[GenerateSerializer]
[Alias("dcos.TaskStatusEvent")]
public sealed record TaskStatusEvent(
    [property: JsonPropertyName("agent_id")] string AgentId,
    [property: JsonPropertyName("status")] TaskStatusUpdate Status,
    [property: JsonPropertyName("source")] string Source);

/// <summary>Names shared by the master's grains and streams.</summary>
public static class MasterStreams
{
    /// <summary>The durable stream namespace of task status events.</summary>
    public const string TaskStatusNamespace = "task-status";

    /// <summary>The key of the one stream every task status change is published on.</summary>
    public const string AllTasksKey = "all";

    /// <summary><see cref="TaskStatusEvent.Source"/> of updates the agent sent.</summary>
    public const string SourceAgent = "SOURCE_AGENT";

    /// <summary><see cref="TaskStatusEvent.Source"/> of updates the master made (agent lost, reconciliation, launch refused).</summary>
    public const string SourceMaster = "SOURCE_MASTER";
}

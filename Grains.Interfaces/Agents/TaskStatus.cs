using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Agents;

/// <summary>Mesos task states (mesos.proto <c>TaskState</c>), spelled as Mesos spells them on the wire.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskState>))]
public enum TaskState
{
    /// <summary>Accepted by the master, not yet on the agent.</summary>
    TASK_STAGING,

    /// <summary>On the agent, being started (fetching, creating the container).</summary>
    TASK_STARTING,

    /// <summary>Its process or container runs.</summary>
    TASK_RUNNING,

    /// <summary>Being killed (grace period running).</summary>
    TASK_KILLING,

    /// <summary>Exited with code 0. Terminal.</summary>
    TASK_FINISHED,

    /// <summary>Exited otherwise, or hit a limit. Terminal.</summary>
    TASK_FAILED,

    /// <summary>Killed on request. Terminal.</summary>
    TASK_KILLED,

    /// <summary>Could not be launched (bad description). Terminal.</summary>
    TASK_ERROR,

    /// <summary>Its fate is unknown (legacy; partition-unaware frameworks). Terminal.</summary>
    TASK_LOST,

    /// <summary>Never reached the agent. Terminal.</summary>
    TASK_DROPPED,

    /// <summary>Its agent cannot be reached; it may come back.</summary>
    TASK_UNREACHABLE,

    /// <summary>Its agent was removed: it is gone for good. Terminal.</summary>
    TASK_GONE,

    /// <summary>Its agent may have been removed; unknown. Terminal.</summary>
    TASK_GONE_BY_OPERATOR,

    /// <summary>The master has never heard of it (reconciliation answer). Terminal.</summary>
    TASK_UNKNOWN,
}

/// <summary>Facts about task states.</summary>
public static class TaskStates
{
    /// <summary>True for states a task never leaves.</summary>
    public static bool IsTerminal(this TaskState state) => state is TaskState.TASK_FINISHED or TaskState.TASK_FAILED or TaskState.TASK_KILLED
        or TaskState.TASK_ERROR or TaskState.TASK_LOST or TaskState.TASK_DROPPED or TaskState.TASK_GONE or TaskState.TASK_GONE_BY_OPERATOR or TaskState.TASK_UNKNOWN;
}

/// <summary>Mesos' reasons (mesos.proto <c>TaskStatus.Reason</c>) that this agent reports.</summary>
public static class TaskReasons
{
    /// <summary>The task went over its memory limit and was killed.</summary>
    public const string MemoryLimit = "REASON_CONTAINER_LIMITATION_MEMORY";

    /// <summary>The container could not be launched.</summary>
    public const string LaunchFailed = "REASON_CONTAINER_LAUNCH_FAILED";

    /// <summary>Fetching the task's URIs failed.</summary>
    public const string FetchFailed = "REASON_FETCHER_FAILED";

    /// <summary>The process or container ended (its exit status says how).</summary>
    public const string CommandExited = "REASON_COMMAND_EXECUTOR_FAILED";

    /// <summary>The task's health changed (the status carries <c>healthy</c>).</summary>
    public const string HealthCheckUpdated = "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED";

    /// <summary>The task failed its health checks too many times in a row and was killed.</summary>
    public const string Unhealthy = "REASON_TASK_UNHEALTHY";

    /// <summary>The agent restarted and could not account for the task.</summary>
    public const string AgentRestarted = "REASON_AGENT_RESTARTED";

    /// <summary>The task's supervisor died; the task was killed.</summary>
    public const string ExecutorTerminated = "REASON_EXECUTOR_TERMINATED";

    /// <summary>The agent's link broke or it fell silent past the bound.</summary>
    public const string AgentDisconnected = "REASON_AGENT_DISCONNECTED";

    /// <summary>The agent was removed by the operator.</summary>
    public const string AgentRemovedByOperator = "REASON_AGENT_REMOVED_BY_OPERATOR";

    /// <summary>The agent came back and still runs the task.</summary>
    public const string AgentReregistered = "REASON_AGENT_REREGISTERED";

    /// <summary>The master answers a reconciliation request.</summary>
    public const string Reconciliation = "REASON_RECONCILIATION";

    /// <summary>The offers named in an ACCEPT were not valid (rescinded, used, or another framework's).</summary>
    public const string InvalidOffers = "REASON_INVALID_OFFERS";

    /// <summary>The task description was invalid (duplicate id, resources not in the offer, …).</summary>
    public const string TaskInvalid = "REASON_TASK_INVALID";

    /// <summary>The master does not know the task.</summary>
    public const string TaskUnknown = "REASON_TASK_UNKNOWN";

    /// <summary>The agent does not know the task (it never arrived, or the agent lost it).</summary>
    public const string AgentUnknown = "REASON_AGENT_UNKNOWN";

    /// <summary>The framework was torn down (or its failover timeout passed).</summary>
    public const string FrameworkRemoved = "REASON_FRAMEWORK_REMOVED";

    /// <summary>The task was killed while draining its agent.</summary>
    public const string AgentDraining = "REASON_AGENT_DRAINING";

    /// <summary>The task was killed on request.</summary>
    public const string TaskKilledDuringLaunch = "REASON_TASK_KILLED_DURING_LAUNCH";
}

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

namespace OrleansDcos.Mesos;

/// <summary>Mesos' reasons (mesos.proto <c>TaskStatus.Reason</c>) that this agent reports.</summary>
public static class TaskReasons
{
    /// <summary>The task went over its memory limit and was killed.</summary>
    public const string MemoryLimit = "REASON_CONTAINER_LIMITATION_MEMORY";

    /// <summary>The task wrote more than its disk (sandbox or persistent volume) holds.</summary>
    public const string DiskLimit = "REASON_CONTAINER_LIMITATION_DISK";

    /// <summary>The container could not be launched.</summary>
    public const string LaunchFailed = "REASON_CONTAINER_LAUNCH_FAILED";

    /// <summary>The process or container ended (its exit status says how).</summary>
    public const string CommandExited = "REASON_COMMAND_EXECUTOR_FAILED";

    /// <summary>The task's health changed (the status carries <c>healthy</c>).</summary>
    public const string HealthCheckUpdated = "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED";

    /// <summary>
    /// Ours, not Mesos': the task failed its health checks too many times in a row (the agent kills it unless the
    /// framework kills it itself). Kept apart from <see cref="HealthCheckUpdated"/> between agent and master; clients
    /// are told what Mesos tells them (<see cref="OnWire"/>).
    /// </summary>
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

    /// <summary>
    /// The reason Mesos' clients are told for a task in <paramref name="state"/>: <see cref="Unhealthy"/> is a health
    /// change while the task runs and no reason once it was killed (Mesos' executor sends its kill with <c>healthy</c>
    /// false and no reason); every other reason here is Mesos' own.
    /// </summary>
    public static string? OnWire(TaskState state, string? reason) =>
        reason == Unhealthy ? (state == TaskState.TASK_RUNNING ? HealthCheckUpdated : null) : reason;
}

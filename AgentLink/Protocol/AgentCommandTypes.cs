namespace OrleansDcos.AgentLink;

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

    /// <summary>
    /// The agent's dynamic reservations and persistent volumes are now <see cref="AgentCommand.Resources"/>: make the
    /// volume directories that are missing, delete those of volumes no longer there (and used by no task).
    /// </summary>
    public const string CheckpointResources = "CHECKPOINT_RESOURCES";

    /// <summary>Read part of a task's sandbox file (<see cref="AgentCommand.Log"/>).</summary>
    public const string ReadLog = "READ_LOG";
}

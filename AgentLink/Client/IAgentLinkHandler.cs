namespace OrleansDcos.AgentLink;

/// <summary>What an agent does with its link: who it registers as, what it does once registered, and each command (the client reads and dispatches them, in order).</summary>
public interface IAgentLinkHandler
{
    /// <summary>The registration for a new link: the agent and the tasks it has now.</summary>
    AgentRegistration Registration();

    /// <summary>
    /// The master took the registration: runs for the life of the link (<paramref name="linkDone"/> ends it) — kill what
    /// the master does not account for, send what is unacknowledged, and return, or keep sending until the link ends.
    /// </summary>
    Task LinkedAsync(AgentRegistered registered, CancellationToken linkDone);

    /// <summary><c>LAUNCH</c>: start <paramref name="tasks"/> (one task, or a task group).</summary>
    void Launch(IReadOnlyList<TaskSpec> tasks);

    /// <summary><c>KILL</c>: kill <paramref name="taskId"/> within <paramref name="grace"/> (null: the task's own grace).</summary>
    void Kill(string taskId, TimeSpan? grace);

    /// <summary><c>SHUTDOWN_FRAMEWORK</c>: kill every task of <paramref name="frameworkId"/>.</summary>
    void ShutdownFramework(string frameworkId);

    /// <summary><c>ACKNOWLEDGE</c>: the framework has the update <paramref name="ack"/> names; the agent may forget it.</summary>
    Task AcknowledgeAsync(TaskAck ack);

    /// <summary><c>CHECKPOINT_RESOURCES</c>: the agent's reservations and persistent volumes are now <paramref name="resources"/>.</summary>
    void CheckpointResources(Scheduling.Resources.Resources resources)
    {
    }

    /// <summary><c>READ_LOG</c>: part of a task's sandbox file (the client sends it back as <c>LOG_DATA</c>).</summary>
    LogChunk ReadLog(LogRequest request);
}

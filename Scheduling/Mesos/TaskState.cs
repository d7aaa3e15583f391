using System.Text.Json.Serialization;

namespace OrleansDcos.Mesos;

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

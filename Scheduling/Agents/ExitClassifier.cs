using OrleansDcos.Mesos;

namespace OrleansDcos.Scheduling.Agents;

/// <summary>How a task's container ended becomes the task's last state, as Mesos' executors report it.</summary>
public static class ExitClassifier
{
    /// <summary>
    /// The state and reason for a container that ended: an OOM kill is FAILED (<c>REASON_CONTAINER_LIMITATION_MEMORY</c>)
    /// whatever else happened, and so is a kill for the disk limit (<c>REASON_CONTAINER_LIMITATION_DISK</c>); a kill that was asked is KILLED (with <c>REASON_TASK_UNHEALTHY</c> when a failing health
    /// check asked it), and so is a container ended by a signal nobody here sent; otherwise exit 0 is FINISHED and any
    /// other end FAILED (<c>REASON_COMMAND_EXECUTOR_FAILED</c>).
    /// </summary>
    /// <param name="oomKilled">The kernel killed it for memory.</param>
    /// <param name="signalled">It ended by a signal.</param>
    /// <param name="succeeded">It exited with 0.</param>
    /// <param name="killAsked">Why a kill was asked (a <see cref="TaskReasons"/> value, or empty), or null when none was.</param>
    public static (TaskState State, string? Reason) Classify(bool oomKilled, bool signalled, bool succeeded, string? killAsked) =>
        oomKilled ? (TaskState.TASK_FAILED, TaskReasons.MemoryLimit)
        : killAsked == TaskReasons.DiskLimit ? (TaskState.TASK_FAILED, TaskReasons.DiskLimit)
        : killAsked == TaskReasons.Unhealthy ? (TaskState.TASK_KILLED, TaskReasons.Unhealthy)
        : killAsked is not null || signalled ? (TaskState.TASK_KILLED, null)
        : succeeded ? (TaskState.TASK_FINISHED, null)
        : (TaskState.TASK_FAILED, TaskReasons.CommandExited);
}

namespace OrleansDcos.Mesos;

/// <summary>Facts about task states.</summary>
public static class TaskStates
{
    /// <summary>True for states a task never leaves.</summary>
    public static bool IsTerminal(this TaskState state) => state is TaskState.TASK_FINISHED or TaskState.TASK_FAILED or TaskState.TASK_KILLED
        or TaskState.TASK_ERROR or TaskState.TASK_LOST or TaskState.TASK_DROPPED or TaskState.TASK_GONE or TaskState.TASK_GONE_BY_OPERATOR or TaskState.TASK_UNKNOWN;

    /// <summary>True for a task that holds its resources and is reachable: neither ended nor unreachable (the master's "tasks", as against its unreachable and completed ones).</summary>
    public static bool IsLive(this TaskState state) => !state.IsTerminal() && state != TaskState.TASK_UNREACHABLE;
}

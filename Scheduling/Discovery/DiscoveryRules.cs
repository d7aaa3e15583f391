using OrleansDcos.Mesos;

namespace OrleansDcos.Scheduling.Discovery;

/// <summary>Which tasks DNS lists.</summary>
public static class DiscoveryRules
{
    /// <summary>
    /// A task is listed while RUNNING; one with a health check only once a status said it is healthy (not before its
    /// first check passes), one without while no status says it is unhealthy.
    /// </summary>
    public static bool Listed(TaskState state, bool? healthy, bool healthChecked) =>
        state == TaskState.TASK_RUNNING && (healthChecked ? healthy == true : healthy != false);
}

using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Marathon;

/// <summary>Names of Marathon's metrics (Marathon's own where it has one).</summary>
public static class MarathonMetricNames
{
    /// <summary>Offers received.</summary>
    public const string OffersIncoming = "marathon.mesos.offers.incoming.counter";

    /// <summary>Offers accepted to launch something.</summary>
    public const string OffersUsed = "marathon.mesos.offers.used.counter";

    /// <summary>Offers declined.</summary>
    public const string OffersDeclined = "marathon.mesos.offers.declined.counter";

    /// <summary>Tasks launched.</summary>
    public const string TasksLaunched = "marathon.tasks.launched.counter";

    /// <summary>Kills sent to the master.</summary>
    public const string TasksKilled = "marathon.tasks.kills.counter";

    /// <summary>Status updates received in <paramref name="state"/> (<c>TASK_RUNNING</c> → <c>task-running</c>).</summary>
    public static string TaskUpdate(TaskState state) =>
        $"marathon.mesos.task-updates.{state.ToString().ToLowerInvariant().Replace('_', '-')}.counter";
}

using Orleans;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// An app's task counts as <c>/v2/apps</c> shows them (<c>tasksStaged</c>, <c>tasksRunning</c>, <c>tasksHealthy</c>,
/// <c>tasksUnhealthy</c>); <see cref="Sequence"/> orders the reports of one app.
/// </summary>
[GenerateSerializer]
[Alias("dcos.AppCounts")]
public sealed record AppCounts(int Staged, int Running, int Healthy, int Unhealthy, long Sequence = 0)
{
    /// <summary>The counts of <paramref name="instances"/> (healthy ones count only when the app has a health check).</summary>
    public static AppCounts Of(AppDefinition? definition, IEnumerable<InstanceRecord> instances, long sequence = 0)
    {
        int staged = 0, running = 0, healthy = 0, unhealthy = 0;
        var checks = definition?.HealthChecks.Count > 0;
        foreach (var instance in instances)
        {
            staged += instance.State is TaskState.TASK_STAGING or TaskState.TASK_STARTING ? 1 : 0;
            running += instance.State == TaskState.TASK_RUNNING ? 1 : 0;
            healthy += checks && instance.State == TaskState.TASK_RUNNING && instance.Healthy == true ? 1 : 0;
            unhealthy += instance.Healthy == false ? 1 : 0;
        }

        return new AppCounts(staged, running, healthy, unhealthy, sequence);
    }

    /// <summary>True when the counts (not the sequence) are those of <paramref name="other"/>.</summary>
    public bool SameAs(AppCounts? other) => other is not null && this with { Sequence = 0 } == other with { Sequence = 0 };
}

using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// The scheduler's counters (named as in <see cref="MarathonMetricNames"/>, counting since its activation), the
/// instances waiting to launch, those of them waiting past a minute without a launch delay, whether it is
/// subscribed, and how long since its activation.
/// </summary>
[GenerateSerializer]
[Alias("dcos.SchedulerMetrics")]
public sealed record SchedulerMetrics(
    IReadOnlyDictionary<string, long> Counters,
    int InstancesQueued,
    int InstancesLaunchOverdue,
    bool Subscribed,
    TimeSpan Active);

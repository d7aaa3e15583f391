using Orleans;
using Orleans.Concurrency;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// Marathon as a framework (key <see cref="MarathonKeys.Scheduler"/>): subscribes to the master, matches offers
/// against the launch queue with the placement engine, launches claimed instances, routes status updates to apps.
/// </summary>
[Alias("dcos.IMarathonSchedulerGrain")]
public interface IMarathonSchedulerGrain : IGrainWithStringKey
{
    /// <summary>Sets an app's launch queue entry (count 0 removes it) and the agents its live instances are on; older sequences are ignored.</summary>
    [OneWay]
    Task SetQueue(LaunchQueueEntry entry);

    /// <summary>Kills tasks through the master.</summary>
    [OneWay]
    Task Kill(IReadOnlyList<InstanceKill> kills);

    /// <summary>Asks the master for the state of these tasks (answers come as status updates; tasks it does not know are UNKNOWN).</summary>
    [OneWay]
    Task Reconcile(IReadOnlyList<InstancePlacement> tasks);

    /// <summary>The launch queue with the last offer-matching outcome per app.</summary>
    [ReadOnly]
    Task<IReadOnlyList<QueueInfo>> GetQueue();

    /// <summary>Counters of offers, launches, kills and status updates since activation, and queue gauges.</summary>
    [ReadOnly]
    Task<SchedulerMetrics> GetMetrics();

    /// <summary>The framework id and whether it is subscribed.</summary>
    [ReadOnly]
    Task<SchedulerStatus> GetStatus();

    /// <summary>Keeps the scheduler subscribed.</summary>
    Task Ping();
}

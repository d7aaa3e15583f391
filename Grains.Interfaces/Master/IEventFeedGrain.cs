using Orleans;
using Orleans.Concurrency;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// Reads the durable task-status stream by position for callers outside the cluster (an Orleans client has no
/// database): a page of events after a position, each with its own, so a reader resumes exactly where it stopped.
/// </summary>
[Alias("dcos.IEventFeedGrain")]
public interface IEventFeedGrain : IGrainWithStringKey
{
    /// <summary>Up to <paramref name="max"/> (≤ 1,000) task status events after <paramref name="after"/>.</summary>
    [ReadOnly]
    Task<IReadOnlyList<PositionedTaskStatus>> TaskStatuses(long after, int max);

    /// <summary>The position of the last task status event (0 when none).</summary>
    [ReadOnly]
    Task<long> TaskStatusHead();
}

using Orleans;
using Orleans.Concurrency;
using OrleansDcos.Providers.Streams;

namespace OrleansDcos.Grains.Master;

/// <inheritdoc cref="IEventFeedGrain" />
[StatelessWorker]
internal sealed class EventFeedGrain(EventLogReader events) : Grain, IEventFeedGrain
{
    private const int MaxPage = 1_000;

    /// <inheritdoc />
    public async Task<IReadOnlyList<PositionedTaskStatus>> TaskStatuses(long after, int max)
    {
        if (after < 0 || max is < 1 or > MaxPage)
        {
            throw new MasterValidationException($"a page is 1 to {MaxPage} events after a position of 0 or more (asked: {max} after {after})");
        }

        var page = await events.ReadAsync<TaskStatusEvent>(MasterStreamProvider.Name, DcosStreams.TaskStatuses, after, max);
        return [.. page.Select(e => new PositionedTaskStatus(e.Position, e.Item))];
    }

    /// <inheritdoc />
    public Task<long> TaskStatusHead() => events.HeadAsync(MasterStreamProvider.Name, DcosStreams.TaskStatuses);
}

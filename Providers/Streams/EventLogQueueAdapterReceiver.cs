using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streams;

namespace OrleansDcos.Providers.Streams;

/// <summary>
/// Reads one queue of the <see cref="EventLog"/> for a pulling agent. It starts after the queue's checkpoint — the
/// last position every consumer was given before the cache let go of it — so a silo that takes the queue over after
/// a failure delivers again what may not have been delivered (at least once, in order), and moves the checkpoint on
/// as the cache purges delivered events. It also drops the queue's events older than the retention, once a minute.
/// An event that no longer deserializes (its type is gone) is logged and skipped: it must not stop the queue.
/// </summary>
public sealed partial class EventLogQueueAdapterReceiver(
    string provider, int queue, EventLog log, Serializer<EventLogBatch> serializer, TimeSpan retention, TimeProvider time, ILogger logger) : IQueueAdapterReceiver
{
    private static readonly TimeSpan TrimEvery = TimeSpan.FromMinutes(1);
    private long _after;
    private DateTimeOffset _lastTrim = DateTimeOffset.MinValue;

    /// <summary>The queue this receiver reads.</summary>
    public int Queue => queue;

    /// <inheritdoc />
    public async Task Initialize(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        _after = await log.LoadCheckpointAsync(provider, queue, cancellation.Token);
    }

    /// <inheritdoc />
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    /// <inheritdoc />
    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        await TrimIfDueAsync(cancellationToken);
        var events = await log.ReadQueueAsync(provider, queue, _after, maxCount < 0 ? 1000 : Math.Max(1, maxCount), cancellationToken);
        var batches = new List<IBatchContainer>(events.Count);
        foreach (var logged in events)
        {
            _after = logged.Position;
            EventLogBatch? batch;
            try
            {
                batch = serializer.Deserialize(logged.Payload);
            }
            catch (Exception ex)
            {
                LogUnreadable(logger, ex, provider, queue, logged.Position, logged.StreamNamespace, logged.StreamKey);
                continue;
            }

            if (batch is not null)
            {
                batch.Position = new EventSequenceTokenV2(logged.Position);
                batches.Add(batch);
            }
        }

        return batches;
    }

    /// <inheritdoc />
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    /// <inheritdoc />
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken) =>
        messages.Count == 0
            ? Task.CompletedTask
            : log.SaveCheckpointAsync(provider, queue, messages.Max(m => m.SequenceToken.SequenceNumber), cancellationToken);

    /// <inheritdoc />
    public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;

    private async Task TrimIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _lastTrim >= TrimEvery)
        {
            _lastTrim = now;
            await log.TrimAsync(provider, queue, now - retention, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "stream provider {Provider} queue {Queue}: the event at position {Position} (stream {Namespace}/{Key}) cannot be read and is skipped")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string provider, int queue, long position, string @namespace, string key);
}

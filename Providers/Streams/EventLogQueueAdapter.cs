using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streams;

namespace OrleansDcos.Providers.Streams;

/// <summary>
/// Writes a stream's events into the <see cref="EventLog"/> queue its stream maps to, and makes a receiver per queue
/// for the pulling agents. An <c>OnNextAsync</c> completes once its event is committed. Rewindable: a consumer may
/// subscribe from a token it was given (within what the receiving silo holds since its checkpoint).
/// </summary>
public sealed class EventLogQueueAdapter(string name, EventLog log, IStreamQueueMapper mapper, Serializer<EventLogBatch> serializer, TimeSpan retention, ILoggerFactory loggers) : IQueueAdapter
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public bool IsRewindable => true;

    /// <inheritdoc />
    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    /// <inheritdoc />
    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new EventLogQueueAdapterReceiver(name, (int)queueId.GetNumericId(), log, serializer, retention, log.Time, loggers.CreateLogger<EventLogQueueAdapterReceiver>());

    /// <inheritdoc />
    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null)
        {
            throw new ArgumentException("the event log assigns positions itself: a producer cannot supply a sequence token", nameof(token));
        }

        var batch = new EventLogBatch(streamId, events.Cast<object>().ToList(), requestContext);
        var queue = (int)mapper.GetQueueForStream(streamId).GetNumericId();
        await log.AppendAsync(name, queue, streamId.GetNamespace() ?? "", streamId.GetKeyAsString(), serializer.SerializeToArray(batch));
    }
}

using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streams;

namespace OrleansDcos.Providers.Streams;

/// <summary>Makes each queue's <see cref="EventLogQueueCache"/>: a simple cache of <paramref name="size"/> events with the log behind it.</summary>
public sealed class EventLogQueueAdapterCache(int size, EventLog log, string provider, Serializer<EventLogBatch> serializer, ILoggerFactory loggers) : IQueueAdapterCache
{
    /// <inheritdoc />
    public IQueueCache CreateQueueCache(QueueId queueId) =>
        new EventLogQueueCache(new SimpleQueueCache(size, loggers.CreateLogger<SimpleQueueCache>()), log, provider, serializer);
}

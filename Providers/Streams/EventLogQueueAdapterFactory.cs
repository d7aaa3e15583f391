using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Streams;

namespace OrleansDcos.Providers.Streams;

/// <summary>
/// The project's persistent stream provider for Orleans (<c>AddEventLogStreams</c>): streams hashed onto a fixed
/// number of queues of the <see cref="EventLog"/>, a cache per queue on each pulling agent with the log behind it
/// (<see cref="EventLogQueueCache"/>: a consumer resumes from any retained position), and delivery failures left to
/// the consumer (it holds its own position and may resume from it).
/// </summary>
public sealed class EventLogQueueAdapterFactory(
    string name, EventLog log, EventLogStreamOptions options, HashRingStreamQueueMapperOptions queues, SimpleQueueCacheOptions cache,
    Serializer<EventLogBatch> serializer, ILoggerFactory loggers) : IQueueAdapterFactory
{
    private readonly HashRingBasedStreamQueueMapper _mapper = new(queues, name);
    private readonly EventLogQueueAdapterCache _cache = new(cache.CacheSize, log, name, serializer, loggers);

    /// <summary>Makes the factory of provider <paramref name="name"/> from the silo's services (its <see cref="EventLog"/> and named options).</summary>
    public static IQueueAdapterFactory Create(IServiceProvider services, string name) => new EventLogQueueAdapterFactory(
        name,
        services.GetRequiredService<EventLog>(),
        services.GetOptionsByName<EventLogStreamOptions>(name),
        services.GetOptionsByName<HashRingStreamQueueMapperOptions>(name),
        services.GetOptionsByName<SimpleQueueCacheOptions>(name),
        services.GetRequiredService<Serializer<EventLogBatch>>(),
        services.GetRequiredService<ILoggerFactory>());

    /// <inheritdoc />
    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(new EventLogQueueAdapter(name, log, _mapper, serializer, options.Retention, loggers));

    /// <inheritdoc />
    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    /// <inheritdoc />
    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    /// <inheritdoc />
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());
}

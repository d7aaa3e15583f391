using Orleans;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace OrleansDcos.Providers.Streams;

/// <summary>
/// What one append puts in the <see cref="EventLog"/> (serialized with Orleans' serializer) and what a receiver gives
/// the pulling agent: the events of one <c>OnNextAsync</c> for one stream, the caller's request context, and — once
/// read back — its position as the sequence token (<see cref="EventSequenceTokenV2"/>: position, event index).
/// </summary>
[GenerateSerializer]
[Alias("dcos.EventLogBatch")]
public sealed class EventLogBatch(StreamId streamId, List<object> events, Dictionary<string, object>? requestContext) : IBatchContainer
{
    /// <inheritdoc />
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    /// <summary>The events, in order.</summary>
    [Id(1)]
    public List<object> Events { get; } = events;

    /// <summary>The producer's request context, if it had one.</summary>
    [Id(2)]
    public Dictionary<string, object>? RequestContext { get; } = requestContext;

    /// <summary>The position in the log (set when read back; not stored in the payload).</summary>
    [Id(3)]
    public EventSequenceTokenV2 Position { get; set; } = new(0);

    /// <inheritdoc />
    public StreamSequenceToken SequenceToken => Position;

    /// <inheritdoc />
    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Events.OfType<T>().Select((e, i) => Tuple.Create<T, StreamSequenceToken>(e, Position.CreateSequenceTokenForEvent(i)));

    /// <inheritdoc />
    public bool ImportRequestContext()
    {
        if (RequestContext is null)
        {
            return false;
        }

        RequestContextExtensions.Import(RequestContext);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"[EventLogBatch {StreamId} at {Position.SequenceNumber}: {Events.Count} event(s)]";
}

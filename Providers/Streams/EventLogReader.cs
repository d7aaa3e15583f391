using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streams;

namespace OrleansDcos.Providers.Streams;

/// <summary>
/// Reads one stream of an event-log stream provider by position, outside any grain: what the SSE event bus
/// (<c>Last-Event-ID</c>), webhook delivery and other followers use. A position is the event's place in its queue
/// (the <c>SequenceNumber</c> of the token Orleans' consumers see), so a follower and a stream consumer name events
/// alike. Following waits for this process's next append, and polls for other processes' (<see cref="PollInterval"/>).
/// </summary>
public sealed class EventLogReader(EventLog log, Serializer<EventLogBatch> serializer, IOptionsMonitor<HashRingStreamQueueMapperOptions> queues)
{
    /// <summary>How often a follower looks for events appended by other silos. Default 1 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Events read per query. Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>The position of the stream's last event (0 when it has none).</summary>
    public Task<long> HeadAsync(string provider, StreamId stream, CancellationToken cancellationToken = default) =>
        log.StreamHeadAsync(provider, stream.GetNamespace() ?? "", stream.GetKeyAsString(), cancellationToken);

    /// <summary>Up to <see cref="BatchSize"/> (or <paramref name="max"/>) of the stream's events after <paramref name="after"/>, without waiting for more.</summary>
    public async Task<IReadOnlyList<(T Item, long Position)>> ReadAsync<T>(string provider, StreamId stream, long after, int max, CancellationToken cancellationToken = default)
    {
        await CheckRetainedAsync(provider, stream, after, cancellationToken);
        var items = new List<(T, long)>();
        foreach (var logged in await log.ReadStreamAsync(provider, stream.GetNamespace() ?? "", stream.GetKeyAsString(), after, Math.Clamp(max, 1, BatchSize), cancellationToken))
        {
            if (serializer.Deserialize(logged.Payload) is { } batch)
            {
                items.AddRange(batch.Events.OfType<T>().Select(e => (e, logged.Position)));
            }
        }

        return items;
    }

    /// <summary>
    /// The stream's events after <paramref name="after"/>, then each new one as it is appended, until cancelled.
    /// Throws <see cref="StreamPositionNotRetainedException"/> when events after <paramref name="after"/> were already
    /// dropped by the retention: the caller learns it missed some rather than silently skipping them.
    /// </summary>
    public async IAsyncEnumerable<(T Item, long Position)> FollowAsync<T>(string provider, StreamId stream, long after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await CheckRetainedAsync(provider, stream, after, cancellationToken);
        var ns = stream.GetNamespace() ?? "";
        var key = stream.GetKeyAsString();
        var position = after;
        while (!cancellationToken.IsCancellationRequested)
        {
            var changed = log.Changed(provider); // taken before reading, so an append during the read is not missed
            var events = await log.ReadStreamAsync(provider, ns, key, position, BatchSize, cancellationToken);
            foreach (var logged in events)
            {
                position = logged.Position;
                if (serializer.Deserialize(logged.Payload) is { } batch)
                {
                    foreach (var item in batch.Events.OfType<T>())
                    {
                        yield return (item, logged.Position);
                    }
                }
            }

            if (events.Count == 0)
            {
                try
                {
                    await changed.WaitAsync(PollInterval, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // Poll: another silo's append does not signal here.
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
        }
    }

    private async Task CheckRetainedAsync(string provider, StreamId stream, long after, CancellationToken cancellationToken)
    {
        var trimmed = await log.TrimmedThroughAsync(provider, QueueOf(provider, stream), cancellationToken);
        if (after < trimmed)
        {
            throw new StreamPositionNotRetainedException(
                $"stream {stream}: events after position {after} are no longer kept (the log keeps what came after {trimmed})");
        }
    }

    /// <summary>The queue <paramref name="stream"/> of <paramref name="provider"/> maps to (the provider's queue count, as its adapter maps it).</summary>
    public int QueueOf(string provider, StreamId stream) =>
        (int)new HashRingBasedStreamQueueMapper(queues.Get(provider), provider).GetQueueForStream(stream).GetNumericId();
}

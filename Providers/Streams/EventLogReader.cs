using System.Collections.Concurrent;
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
    private readonly ConcurrentDictionary<(string Provider, string Namespace, string Key), EventLogTail> _tails = new();

    /// <summary>How often a follower looks for events appended by other silos. Default 1 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Events read per query. Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Appends of a stream kept in memory for its followers (<see cref="EventLogTail"/>). Default 8192.</summary>
    public int TailCapacity { get; init; } = 8192;

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
    /// Followers of one stream in this process share one reader of its latest events (<see cref="EventLogTail"/>), so
    /// a hundred SSE clients cost the database one query per append, not a hundred; the events they get are shared
    /// and must not be changed. Throws <see cref="StreamPositionNotRetainedException"/> when events after
    /// <paramref name="after"/> were already dropped by the retention: the caller learns it missed some rather than
    /// silently skipping them.
    /// </summary>
    public async IAsyncEnumerable<(T Item, long Position)> FollowAsync<T>(string provider, StreamId stream, long after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var batch in FollowBatchesAsync<T>(provider, stream, after, cancellationToken))
        {
            foreach (var item in batch)
            {
                yield return item;
            }
        }
    }

    /// <summary>As <see cref="FollowAsync{T}"/>, in the batches they are read in (never empty): for a follower that handles many at once.</summary>
    public async IAsyncEnumerable<IReadOnlyList<(T Item, long Position)>> FollowBatchesAsync<T>(string provider, StreamId stream, long after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await CheckRetainedAsync(provider, stream, after, cancellationToken);
        var ns = stream.GetNamespace() ?? "";
        var key = stream.GetKeyAsString();
        var tail = _tails.GetOrAdd((provider, ns, key), k => new EventLogTail(log, serializer, k.Provider, k.Namespace, k.Key, TailCapacity, BatchSize, PollInterval));
        tail.Join();
        try
        {
            var position = after;
            var appends = new List<(long Position, IReadOnlyList<object> Events)>();
            while (!cancellationToken.IsCancellationRequested)
            {
                Task next;
                if (!tail.TryRead(position, BatchSize, appends, out next))
                {
                    // Behind what the tail holds (or it has not started): read the log itself.
                    var covers = tail.CoversAfter;
                    next = log.Changed(provider); // taken before reading, so an append during the read is not missed
                    var logged = await log.ReadStreamAsync(provider, ns, key, position, BatchSize, cancellationToken);
                    appends.AddRange(logged.Select(e => (e.Position, EventLogTail.EventsOf(serializer, e.Payload))));
                    if (logged.Count == 0 && covers != long.MaxValue && covers > position)
                    {
                        // Nothing after `position` in the log, and every event up to `covers` was there before the read.
                        position = covers;
                        continue;
                    }
                }

                if (appends.Count > 0)
                {
                    var batch = appends.SelectMany(a => a.Events.OfType<T>().Select(item => (item, a.Position))).ToList();
                    position = appends[^1].Position;
                    appends.Clear();
                    if (batch.Count > 0)
                    {
                        yield return batch;
                    }

                    continue;
                }

                try
                {
                    await next.WaitAsync(PollInterval, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // Poll: another silo's append does not signal here (the tail polls too).
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
        }
        finally
        {
            tail.Leave();
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

using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streams;

namespace OrleansDcos.Providers.Streams;

/// <summary>
/// One queue's cache on a pulling agent: Orleans' <see cref="SimpleQueueCache"/> for what the receiver read lately,
/// and the <see cref="EventLog"/> behind it, so a consumer that subscribes from a position the cache no longer holds
/// (or never held, on a silo that took the queue over) is served from the log until it reaches the cache — rewind to
/// any position still retained, not only to what happens to be cached. Every call comes from the agent's own turn.
/// </summary>
public sealed class EventLogQueueCache(IQueueCache cache, EventLog log, string provider, Serializer<EventLogBatch> serializer) : IQueueCache
{
    private readonly Queue<long> _cached = new();
    private long _read;

    /// <inheritdoc />
    public int GetMaxAddCount() => cache.GetMaxAddCount();

    /// <inheritdoc />
    public void AddToCache(IList<IBatchContainer> messages)
    {
        cache.AddToCache(messages);
        foreach (var message in messages)
        {
            _cached.Enqueue(message.SequenceToken.SequenceNumber);
            _read = Math.Max(_read, message.SequenceToken.SequenceNumber);
        }
    }

    /// <inheritdoc />
    public bool TryPurgeFromCache(out IList<IBatchContainer> purgedItems)
    {
        if (!cache.TryPurgeFromCache(out var purged))
        {
            purgedItems = [];
            return false;
        }

        // The simple cache purges its oldest items (a failed delivery is dropped from the list, not from the cache).
        var gone = purged.Count == 0 ? 0 : purged.Max(p => p.SequenceToken.SequenceNumber);
        while (_cached.Count > 0 && _cached.Peek() <= gone)
        {
            _cached.Dequeue();
        }

        purgedItems = purged;
        return true;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Every cursor is an <see cref="EventLogResumingCursor"/>: one that starts in the cache goes on from the log if the
    /// cache lets go of its events before it delivered them; one that starts behind the cache reads the log first.
    /// </remarks>
    public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursor(StreamId streamId, StreamSequenceToken? token)
    {
        var from = token?.SequenceNumber ?? _read + 1;
        if (token is null || token.SequenceNumber > _read || (_cached.Count > 0 && _cached.Peek() <= token.SequenceNumber))
        {
            try
            {
                var cached = cache.TryGetCacheCursor(streamId, token);
                if (cached is { Kind: QueueCacheCursorResultKind.Success, Cursor: { } cursor })
                {
                    return QueueCacheCursorResult<IQueueCacheCursor>.FromCursor(new EventLogResumingCursor(streamId, from, cursor, this));
                }

                if (token is null)
                {
                    return cached;
                }
            }
            catch (QueueCacheMissException) when (token is not null)
            {
                // The simple cache let go of that position without a purge this wrapper saw (it throws, not answers): the log has it.
            }
        }

        return QueueCacheCursorResult<IQueueCacheCursor>.FromCursor(
            new EventLogResumingCursor(streamId, from, new EventLogCatchUpCursor(streamId, from, this), this));
    }

    /// <inheritdoc />
    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token) =>
        TryGetCacheCursor(streamId, token) is { Kind: QueueCacheCursorResultKind.Success, Cursor: { } cursor }
            ? cursor
            : throw new QueueCacheMissException($"stream {streamId}: position {token?.SequenceNumber} is neither cached nor in the log");

    /// <inheritdoc />
    public bool IsUnderPressure() => cache.IsUnderPressure();

    /// <inheritdoc />
    public void UpdateDeliveryProgress(StreamSequenceToken? earliestSubscriptionToken, DateTime utcNow) =>
        cache.UpdateDeliveryProgress(earliestSubscriptionToken, utcNow);

    /// <summary>
    /// The stream's events from <paramref name="from"/> on that the receiver has read, up to <paramref name="max"/>,
    /// from the log. Called from the agent's turn, which must not be resumed by the read: it runs on the thread pool.
    /// </summary>
    internal IReadOnlyList<EventLogBatch> ReadBehind(StreamId streamId, long from, int max)
    {
        var read = _read;
        var rows = Task.Run(() => log.ReadStreamAsync(provider, streamId.GetNamespace() ?? "", streamId.GetKeyAsString(), from - 1, max)).GetAwaiter().GetResult();
        var batches = new List<EventLogBatch>(rows.Count);
        foreach (var row in rows.TakeWhile(r => r.Position <= read))
        {
            if (serializer.Deserialize(row.Payload) is { } batch)
            {
                batch.Position = new EventSequenceTokenV2(row.Position);
                batches.Add(batch);
            }
        }

        return batches;
    }

    /// <summary>The last position the receiver read into this cache.</summary>
    internal long ReadPosition => _read;

    /// <summary>A cache cursor for the stream from <paramref name="from"/>, if the cache still holds that far back (or it is ahead of it).</summary>
    internal IQueueCacheCursor? TryCacheCursor(StreamId streamId, long from)
    {
        try
        {
            return (from > _read || (_cached.Count > 0 && _cached.Peek() <= from))
                && cache.TryGetCacheCursor(streamId, new EventSequenceTokenV2(from)) is { Kind: QueueCacheCursorResultKind.Success, Cursor: { } cursor }
                    ? cursor
                    : null;
        }
        catch (QueueCacheMissException)
        {
            return null; // gone from the cache meanwhile: the caller reads on from the log
        }
    }
}

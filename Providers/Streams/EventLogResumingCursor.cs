using Orleans.Runtime;
using Orleans.Streams;

namespace OrleansDcos.Providers.Streams;

/// <summary>
/// Every consumer cursor the <see cref="EventLogQueueCache"/> hands out: it never reports a cache miss. Orleans' simple
/// cache stops counting a cursor whose delivery failed (a consumer on a silo that just died) and may then purge what
/// that cursor still has to deliver; its next move would throw, and the pulling agent would start the consumer over at
/// the newest event — silently skipping the rest — and the agent's refresh to wake the consumer would throw and leave
/// it idle for good. Here a miss continues from the <see cref="EventLog"/> right after the last event this cursor gave
/// (<see cref="EventLogCatchUpCursor"/>), so the consumer gets every later event, in order.
/// </summary>
internal sealed class EventLogResumingCursor(StreamId streamId, long next, IQueueCacheCursor inner, EventLogQueueCache cache) : IQueueCacheCursor
{
    private IQueueCacheCursor _inner = inner;
    private long _next = next;

    public IBatchContainer? GetCurrent(out Exception? exception) => _inner.GetCurrent(out exception);

    public bool MoveNext() => MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success;

    public QueueCacheCursorMoveResult MoveNextWithResult()
    {
        QueueCacheCursorMoveResult result;
        try
        {
            result = _inner.MoveNextWithResult();
        }
        catch (QueueCacheMissException)
        {
            result = default;
        }

        if (result.Kind is not (QueueCacheCursorMoveResultKind.Success or QueueCacheCursorMoveResultKind.NoData))
        {
            // Purged under this cursor (or the inner cursor failed some other way): go on from the log.
            ContinueFromLog();
            result = _inner.MoveNextWithResult();
        }

        if (result.Kind == QueueCacheCursorMoveResultKind.Success && _inner.GetCurrent(out _) is { SequenceToken: { } token })
        {
            _next = token.SequenceNumber + 1;
        }

        return result;
    }

    public void Refresh(StreamSequenceToken token)
    {
        try
        {
            _inner.Refresh(token); // the agent waking an idle consumer with a new event
        }
        catch (QueueCacheMissException)
        {
            // Its place was purged: refreshing throws, which would leave the consumer idle for good.
            ContinueFromLog();
        }
    }

    public void RecordDeliveryFailure() => _inner.RecordDeliveryFailure();

    public void Dispose() => _inner.Dispose();

    private void ContinueFromLog()
    {
        _inner.Dispose();
        _inner = new EventLogCatchUpCursor(streamId, _next, cache);
    }
}

using Orleans.Runtime;
using Orleans.Streams;

namespace OrleansDcos.Providers.Streams;

/// <summary>
/// A consumer's cursor that starts behind the cache: it delivers the stream's events from the <see cref="EventLog"/>,
/// a page at a time, until it has everything the receiver read before the cache's oldest event; then it hands over
/// to an ordinary cache cursor at the next position and follows the live stream.
/// </summary>
internal sealed class EventLogCatchUpCursor(StreamId streamId, long from, EventLogQueueCache cache) : IQueueCacheCursor
{
    private const int Page = 500;
    private readonly Queue<EventLogBatch> _page = new();
    private long _next = from;
    private IQueueCacheCursor? _live;
    private IBatchContainer? _current;

    public IBatchContainer? GetCurrent(out Exception? exception)
    {
        if (_live is not null)
        {
            return _live.GetCurrent(out exception);
        }

        exception = null;
        return _current;
    }

    public bool MoveNext() => MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success;

    public QueueCacheCursorMoveResult MoveNextWithResult()
    {
        while (_live is null)
        {
            if (_page.Count > 0)
            {
                var batch = _page.Dequeue();
                _current = batch;
                _next = batch.Position.SequenceNumber + 1;
                return QueueCacheCursorMoveResult.Success;
            }

            var read = cache.ReadPosition;
            var page = cache.ReadBehind(streamId, _next, Page);
            if (page.Count == 0)
            {
                // Nothing more of this stream up to what the receiver had read: continue in the cache from there.
                _live = cache.TryCacheCursor(streamId, Math.Max(_next, read + 1));
                if (_live is null)
                {
                    _next = read + 1;
                }
            }
            else
            {
                foreach (var batch in page)
                {
                    _page.Enqueue(batch);
                }
            }
        }

        return _live.MoveNextWithResult();
    }

    public void Refresh(StreamSequenceToken token) => _live?.Refresh(token);

    public void RecordDeliveryFailure() => _live?.RecordDeliveryFailure();

    public void Dispose() => _live?.Dispose();
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streams;
using OrleansDcos.Providers.Streams;
using OrleansDcos.Tests.Orleans.Storage;
using Xunit;

namespace OrleansDcos.Tests.Orleans.Streams;

/// <summary>
/// The queue cache's cursors never lose a consumer's place: when Orleans' cache cursor under one reports a miss — its
/// events purged while the consumer's delivery was failing — by throwing on a move or on the agent's wake-up refresh, or
/// by answering a miss, the consumer goes on from the log right after the last event it was given, then back in the cache.
/// </summary>
[Trait("Area", "Orleans")]
public sealed class EventLogQueueCacheTests
{
    private static readonly StreamId Stream = StreamId.Create("ns", "s");

    public enum Miss
    {
        ThrowOnMove,
        AnswerOnMove,
        ThrowOnRefresh,
    }

    [Theory]
    [InlineData(Miss.ThrowOnMove)]
    [InlineData(Miss.AnswerOnMove)]
    [InlineData(Miss.ThrowOnRefresh)]
    public async Task After_a_miss_the_consumer_goes_on_from_the_log_after_the_last_event_it_was_given(Miss miss)
    {
        await using var db = await SqlDatabases.CreateAsync("sqlite");
        var log = new EventLog(db.Database, "svc");
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer<EventLogBatch>>();
        var batches = new List<EventLogBatch>();
        for (var number = 1; number <= 5; number++)
        {
            var batch = new EventLogBatch(Stream, [number], null);
            batch.Position = new EventSequenceTokenV2(await log.AppendAsync("p", 0, "ns", "s", serializer.SerializeToArray(batch)));
            batches.Add(batch);
        }

        // Orleans' cursor gives 1 and 2, then misses (3 and 4 purged under it); the cache itself still holds 5.
        var inner = new MissingCache(batches, missAfter: 2, miss);
        var cache = new EventLogQueueCache(inner, log, "p", serializer);
        cache.AddToCache([.. batches]);
        using var cursor = cache.GetCacheCursor(Stream, batches[0].SequenceToken);
        Assert.Equal(1, Next(cursor));
        Assert.Equal(2, Next(cursor));
        cursor.Refresh(batches[4].SequenceToken); // the agent waking the consumer

        Assert.Equal(3, Next(cursor)); // from the log
        Assert.Equal(4, Next(cursor));
        Assert.Equal(5, Next(cursor)); // back in the cache
        Assert.Equal(QueueCacheCursorMoveResultKind.NoData, cursor.MoveNextWithResult().Kind);
    }

    private static int Next(IQueueCacheCursor cursor)
    {
        Assert.Equal(QueueCacheCursorMoveResultKind.Success, cursor.MoveNextWithResult().Kind);
        return cursor.GetCurrent(out _)!.GetEvents<int>().Single().Item1;
    }

    /// <summary>A stand-in for Orleans' cache whose first cursor misses after <paramref name="missAfter"/> events, as <paramref name="miss"/> says; later cursors do not.</summary>
    private sealed class MissingCache(List<EventLogBatch> batches, int missAfter, Miss miss) : IQueueCache
    {
        private bool _first = true;

        public int GetMaxAddCount() => 100;

        public void AddToCache(IList<IBatchContainer> messages)
        {
        }

        public bool TryPurgeFromCache(out IList<IBatchContainer> purgedItems)
        {
            purgedItems = [];
            return false;
        }

        public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token) => throw new NotSupportedException();

        public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursor(StreamId streamId, StreamSequenceToken? token)
        {
            var from = batches.FindIndex(b => b.Position.SequenceNumber >= (token?.SequenceNumber ?? long.MaxValue));
            var cursor = new Cursor(batches, from < 0 ? batches.Count : from, _first ? missAfter : int.MaxValue, miss);
            _first = false;
            return QueueCacheCursorResult<IQueueCacheCursor>.FromCursor(cursor);
        }

        public bool IsUnderPressure() => false;

        public void UpdateDeliveryProgress(StreamSequenceToken? earliestSubscriptionToken, DateTime utcNow)
        {
        }

        private sealed class Cursor(List<EventLogBatch> batches, int next, int missAfter, Miss miss) : IQueueCacheCursor
        {
            private int _next = next;
            private int _given;
            private IBatchContainer? _current;

            public IBatchContainer? GetCurrent(out Exception? exception)
            {
                exception = null;
                return _current;
            }

            [Obsolete("as the interface")]
            public bool MoveNext() => MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success;

            public QueueCacheCursorMoveResult MoveNextWithResult()
            {
                if (_given >= missAfter)
                {
                    return miss switch
                    {
                        Miss.ThrowOnMove => throw new QueueCacheMissException("purged"),
                        Miss.AnswerOnMove => default,
                        _ => throw new InvalidOperationException("refreshed first"),
                    };
                }

                if (_next >= batches.Count)
                {
                    return QueueCacheCursorMoveResult.NoData;
                }

                _current = batches[_next++];
                _given++;
                return QueueCacheCursorMoveResult.Success;
            }

            public void Refresh(StreamSequenceToken token)
            {
                if (_given >= missAfter && miss == Miss.ThrowOnRefresh)
                {
                    throw new QueueCacheMissException("purged");
                }
            }

            public void RecordDeliveryFailure()
            {
            }

            public void Dispose()
            {
            }
        }
    }
}

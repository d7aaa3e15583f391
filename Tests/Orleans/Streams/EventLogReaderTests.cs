using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using OrleansDcos.Providers.Streams;
using OrleansDcos.Tests.Orleans.Storage;
using Xunit;

namespace OrleansDcos.Tests.Orleans.Streams;

/// <summary>
/// Following a stream by position outside any grain (the SSE bus, webhooks): many followers share one reader of the
/// stream's latest appends, and a follower behind it — or left behind while it was not reading — reads the log itself,
/// so every follower gets every event once and in order.
/// </summary>
[Trait("Area", "Orleans")]
public sealed class EventLogReaderTests
{
    private const string Provider = "events";
    private static readonly StreamId Stream = StreamId.Create("marathon-events", "all");
    private static readonly StreamId Other = StreamId.Create("marathon-events", "other");

    [Theory]
    [MemberData(nameof(SqlDatabases.Kinds), MemberType = typeof(SqlDatabases))]
    public async Task Many_followers_get_every_event_in_order_and_one_far_behind_catches_up_from_the_log(string kind)
    {
        await using var db = await SqlDatabases.CreateAsync(kind);
        var (log, reader, serializer) = Create(db, tailCapacity: 16);
        var queue = reader.QueueOf(Provider, Stream);
        for (var i = 0; i < 40; i++)
        {
            await AppendAsync(log, serializer, queue, i % 4 == 3 ? Other : Stream, i);
        }

        var head = await reader.HeadAsync(Provider, Stream);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var expectedOld = Enumerable.Range(0, 40).Where(i => i % 4 != 3).ToList();
        var expectedNew = Enumerable.Range(100, 200).Where(i => i % 4 != 3).ToList();
        var atHead = Enumerable.Range(0, 20).Select(_ => CollectAsync(reader, head, expectedNew.Count, stop.Token)).ToList();
        var fromStart = CollectAsync(reader, 0, expectedOld.Count + expectedNew.Count, stop.Token);

        await Task.WhenAll(Enumerable.Range(100, 200).Select(i => AppendAsync(log, serializer, queue, i % 4 == 3 ? Other : Stream, i)));

        foreach (var follower in atHead)
        {
            var got = await follower;
            Assert.Equal(expectedNew, got.Select(e => e.Item).Order()); // every event once
            Assert.True(got.Select(e => e.Position).SequenceEqual(got.Select(e => e.Position).Order()) && got.DistinctBy(e => e.Position).Count() == got.Count, "positions rise");
        }

        var all = await fromStart;
        Assert.Equal(expectedOld.Concat(expectedNew).Order(), all.Select(e => e.Item).Order());
        Assert.Equal(expectedOld, all.Take(expectedOld.Count).Select(e => e.Item));
        Assert.True(all.Select(e => e.Position).SequenceEqual(all.Select(e => e.Position).Order()), "positions rise");
    }

    [Fact]
    public async Task A_follower_that_stops_reading_while_more_than_the_tail_holds_is_appended_misses_nothing()
    {
        await using var db = await SqlDatabases.CreateAsync("sqlite");
        var (log, reader, serializer) = Create(db, tailCapacity: 8);
        var queue = reader.QueueOf(Provider, Stream);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var slow = reader.FollowAsync<int>(Provider, Stream, 0, stop.Token).GetAsyncEnumerator(stop.Token);
        var fast = CollectAsync(reader, 0, 101, stop.Token); // keeps the shared tail running and full

        await AppendAsync(log, serializer, queue, Stream, 0);
        Assert.True(await slow.MoveNextAsync());
        Assert.Equal(0, slow.Current.Item);
        for (var i = 1; i <= 100; i++)
        {
            await AppendAsync(log, serializer, queue, Stream, i); // the tail keeps 8 of these: the slow one is left behind
        }

        await fast;
        var rest = new List<int>();
        while (rest.Count < 100 && await slow.MoveNextAsync())
        {
            rest.Add(slow.Current.Item);
        }

        Assert.Equal(Enumerable.Range(1, 100), rest);
    }

    private static (EventLog Log, EventLogReader Reader, Serializer<EventLogBatch> Serializer) Create(SqlDatabases db, int tailCapacity)
    {
        var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer<EventLogBatch>>();
        var log = new EventLog(db.Database, "svc");
        var queues = new StaticOptions(new HashRingStreamQueueMapperOptions { TotalQueueCount = 2 });
        return (log, new EventLogReader(log, serializer, queues) { TailCapacity = tailCapacity, PollInterval = TimeSpan.FromMilliseconds(200) }, serializer);
    }

    private static Task<long> AppendAsync(EventLog log, Serializer<EventLogBatch> serializer, int queue, StreamId stream, int item) =>
        log.AppendAsync(Provider, queue, stream.GetNamespace()!, stream.GetKeyAsString(), serializer.SerializeToArray(new EventLogBatch(stream, [item], null)));

    private static async Task<List<(int Item, long Position)>> CollectAsync(EventLogReader reader, long after, int count, CancellationToken cancellationToken)
    {
        var got = new List<(int, long)>();
        await foreach (var e in reader.FollowAsync<int>(Provider, Stream, after, cancellationToken))
        {
            got.Add(e);
            if (got.Count == count)
            {
                break;
            }
        }

        return got;
    }

    private sealed class StaticOptions(HashRingStreamQueueMapperOptions value) : IOptionsMonitor<HashRingStreamQueueMapperOptions>
    {
        public HashRingStreamQueueMapperOptions CurrentValue => value;

        public HashRingStreamQueueMapperOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<HashRingStreamQueueMapperOptions, string?> listener) => null;
    }
}

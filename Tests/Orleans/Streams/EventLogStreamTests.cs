using Orleans.TestingHost;
using OrleansDcos.Providers.Hosting;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Orleans.Streams;

/// <summary>
/// Orleans streams over the project's event log on an embedded (SQLite) silo: every event reaches an implicit
/// consumer once, in order, with its log position as token; a consumer can start from a position; the events are in
/// the file after the silo is gone.
/// </summary>
[Trait("Area", "Orleans")]
public sealed class EventLogStreamTests
{
    [Fact]
    public async Task Every_event_reaches_the_consumer_in_order_and_a_consumer_can_start_from_a_position()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "embedded.db");
        var serviceId = $"svc-{Guid.NewGuid():N}";
        var cluster = await StartAsync(file, serviceId);
        var key = $"r-{Guid.NewGuid():N}";
        await cluster.Client.GetGrain<ITickRecorderGrain>(key).Wake();

        await Task.WhenAll(
            cluster.Client.GetGrain<ITickPublisherGrain>("a").Publish(StreamNames.Recorded, key, 0, 150),
            cluster.Client.GetGrain<ITickPublisherGrain>("b").Publish(StreamNames.Recorded, key, 1000, 150));

        await Poll.UntilAsync(() => Task.FromResult(Received.Of(key).Length >= 300), TimeSpan.FromSeconds(30), "300 ticks delivered");
        var got = Received.Of(key);
        Assert.Equal(300, got.Length);
        Assert.Equal(got.Select(g => g.Position).Order(), got.Select(g => g.Position)); // in log order
        Assert.Equal(300, got.Select(g => g.Position).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 150), got.Where(g => g.Number < 1000).Select(g => g.Number)); // each producer's order kept
        Assert.Equal(Enumerable.Range(1000, 150), got.Where(g => g.Number >= 1000).Select(g => g.Number));

        // A consumer that knows a position gets exactly what came after it.
        var follower = $"f-{Guid.NewGuid():N}";
        var from = got[199].Position;
        await cluster.Client.GetGrain<ITickFollowerGrain>(follower).Follow(StreamNames.Recorded, key, from);
        await Poll.UntilAsync(() => Task.FromResult(Received.Of(follower).Length >= 100), TimeSpan.FromSeconds(30), "the rest replayed from the position");
        Assert.Equal(got[200..].Select(g => g.Number), Received.Of(follower).Select(g => g.Number));
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();

        // The events are in the file: a new silo serves a consumer from any position, whatever its cache holds. (Orleans
        // attaches a stream's consumers when its pulling agent reads an event of it: the next event brings the backlog.)
        await using var restarted = await StartAsync(file, serviceId);
        var late = $"l-{Guid.NewGuid():N}";
        await restarted.Client.GetGrain<ITickFollowerGrain>(late).Follow(StreamNames.Recorded, key, got[99].Position);
        await restarted.Client.GetGrain<ITickPublisherGrain>("c").Publish(StreamNames.Recorded, key, 5000, 1);
        await Poll.UntilAsync(() => Task.FromResult(Received.Of(late).Length >= 201), TimeSpan.FromSeconds(30), "the log replayed on the new silo");
        var replayed = Received.Of(late);
        Assert.Equal(got[100..].Select(g => (g.Number, g.Position)), replayed[..200]);
        Assert.Equal(5000, replayed[200].Number);
        Assert.True(replayed[200].Position > got[^1].Position);
    }

    private static Task<InProcessTestCluster> StartAsync(string file, string serviceId) =>
        OneSiloCluster.StartAsync(serviceId, silo => silo
            .UseSqliteDatabase(file)
            .AddEventLogStreams(StreamNames.Provider, queues: 4));
}

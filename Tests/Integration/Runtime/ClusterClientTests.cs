using OrleansDcos.Client.Cluster;
using OrleansDcos.Runtime;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Integration.Runtime;

/// <summary>The typed cluster client over a silo's gateway (real TCP on loopback).</summary>
[Trait("Area", "Runtime")]
public sealed class ClusterClientTests
{
    private static string NewKey() => Guid.NewGuid().ToString("N");

    private static ClusterClient Client(params Uri[] gateways) => new(new ClusterClientOptions
    {
        Gateways = gateways,
        ResponseTimeout = TimeSpan.FromSeconds(10),
        StreamReconnectDelay = TimeSpan.FromMilliseconds(100),
    });

    [Fact]
    public async Task The_client_calls_grains_through_their_interfaces()
    {
        await using var silo = await GatewaySilo.StartAsync(FreePort.Next(), b => b.UseInMemory());
        using var client = Client(silo.Address);
        var counter = client.GetGrain<ICounterGrain>(NewKey());

        Assert.Equal(3, await counter.Add(3));
        Assert.Equal(10, await counter.Add(7));
        Assert.Equal(10, await counter.GetValue());
        Assert.Equal("2", await counter.Etag());
    }

    [Fact]
    public async Task Grain_exceptions_reach_the_client_with_their_type_and_message()
    {
        await using var silo = await GatewaySilo.StartAsync(FreePort.Next(), b => b.UseInMemory());
        using var client = Client(silo.Address);

        var failure = await Assert.ThrowsAsync<GrainFailure>(() => client.GetGrain<ICounterGrain>(NewKey()).Fail("bad input"));
        var deadlock = await Assert.ThrowsAsync<DeadlockException>(() => client.GetGrain<IPingGrain>(NewKey()).PingVia(NewKey()));
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => client.GetGrain<IOrphanGrain>("x").Nothing());

        Assert.Equal("bad input", failure.Message);
        Assert.Contains("deadlock", deadlock.Message);
        Assert.Contains("no grain implements", unknown.Message);
    }

    [Fact]
    public async Task A_refused_gateway_is_skipped_and_calls_go_to_the_next_one()
    {
        await using var silo = await GatewaySilo.StartAsync(FreePort.Next(), b => b.UseInMemory());
        var dead = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        using var client = Client(dead, silo.Address);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.GetGrain<ICounterGrain>($"{NewKey()}-{i}").Add(i)));

        Assert.Equal(Enumerable.Range(0, 20), results);
    }

    [Fact]
    [Trait("Invariant", "R10")]
    public async Task The_client_follows_a_stream_across_a_silo_restart_without_loss_or_repeats()
    {
        using var data = new TempDirectory();
        var port = FreePort.Next();
        var db = Path.Combine(data.Path, "dcos.db");
        var stream = new StreamId("client", NewKey());
        using var client = Client(new Uri($"http://127.0.0.1:{port}/"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new List<long>();
        var following = Task.Run(async () =>
        {
            await foreach (var e in client.ReadStreamAsync<OrderEvent>(StreamTests.Provider, stream, StreamSequenceToken.Beginning, cancel.Token))
            {
                lock (received)
                {
                    received.Add(e.Item.Number);
                }

                if (e.Item.Number == 20)
                {
                    return;
                }
            }
        });

        await using (var silo = await GatewaySilo.StartAsync(port, b => b.UseSqlite(db)))
        {
            for (var i = 1; i <= 10; i++)
            {
                await client.PublishAsync(StreamTests.Provider, stream, new OrderEvent(i, "before"));
            }

            await Poll.UntilAsync(() => Task.FromResult(Count(received) >= 10), TimeSpan.FromSeconds(20), "ten events before the restart");
        }

        await using (var restarted = await GatewaySilo.StartAsync(port, b => b.UseSqlite(db)))
        {
            for (var i = 11; i <= 20; i++)
            {
                await client.PublishAsync(StreamTests.Provider, stream, new OrderEvent(i, "after"));
            }

            await following.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(1, await client.GetGrain<ICounterGrain>(NewKey()).Add(1));
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), received);
    }

    private static int Count(List<long> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }
}

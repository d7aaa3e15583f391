using OrleansDcos.Client.Cluster;
using OrleansDcos.Runtime;
using OrleansDcos.Runtime.Hosting;
using OrleansDcos.Runtime.Membership;
using OrleansDcos.Runtime.Streams;
using OrleansDcos.Runtime.Testing;
using OrleansDcos.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace OrleansDcos.Tests.Integration.Runtime;

/// <summary>What continues after a silo is killed: reminders, implicit stream delivery, clients.</summary>
[Trait("Area", "Runtime")]
[Collection(ClusterCollection.Name)]
public sealed class FailoverTests
{
    private static Task<TestCluster> StartClusterAsync() => TestCluster.StartAsync(new TestClusterOptions
    {
        PostgresConnectionString = TestEnvironment.PostgresConnectionString!,
        GrainAssemblies = [typeof(FailoverTests).Assembly],
        Runtime = b =>
        {
            b.AddStreams(StreamTests.Provider, new StreamProviderOptions { PollInterval = TimeSpan.FromMilliseconds(200) });
            b.Services.Configure<GrainRuntimeOptions>(o =>
            {
                o.MinimumReminderPeriod = TimeSpan.FromMilliseconds(100);
                o.ReminderRefreshInterval = TimeSpan.FromSeconds(1);
            });
        },
    });

    private static string NewKey() => Guid.NewGuid().ToString("N");

    private static TestSilo OwnerOf(TestCluster cluster, string key)
    {
        var ring = new ConsistentRing(cluster.RunningSilos.Select(s => s.Address));
        return cluster.RunningSilos.Single(s => s.Address == ring.Owner(key));
    }

    [RequiresFact(Component.Postgres)]
    [Trait("Invariant", "R9")]
    public async Task Reminders_fire_once_per_tick_and_keep_firing_after_their_owner_dies()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();
        var key = NewKey();
        await cluster.Silos[0].Grains.GetGrain<ITickerGrain>(key).StartReminder("beat", periodMs: 200);
        await Poll.UntilAsync(() => Task.FromResult(Ticks(key).Length >= 5), TimeSpan.FromSeconds(20), "five ticks");
        var steady = Ticks(key);
        Assert.Equal(steady.Length, steady.Select(t => t.CurrentTickTime).Distinct().Count());

        await cluster.KillSiloAsync(OwnerOf(cluster, $"ticker/{key}"));
        var beforeTakeOver = Ticks(key).Length;

        await Poll.UntilAsync(() => Task.FromResult(Ticks(key).Length >= beforeTakeOver + 5), TimeSpan.FromSeconds(30), "ticks from the new owner");
        Assert.All(Ticks(key), t => Assert.Equal(0, (t.CurrentTickTime - t.FirstTickTime).Ticks % TimeSpan.FromMilliseconds(200).Ticks));
    }

    [RequiresFact(Component.Postgres)]
    [Trait("Invariant", "R10")]
    public async Task Implicit_stream_delivery_continues_after_the_owning_silo_dies()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();
        var key = NewKey();
        var streamId = new StreamId("orders", key);
        var owner = OwnerOf(cluster, streamId.ToString());
        var publisher = cluster.Silos.First(s => s != owner);
        var stream = publisher.Services.GetRequiredKeyedService<IStreamProvider>(StreamTests.Provider).GetStream<OrderEvent>(streamId);
        for (var i = 1; i <= 10; i++)
        {
            await stream.OnNextAsync(new OrderEvent(i, "before"));
        }

        var book = publisher.Grains.GetGrain<IOrderBookGrain>(key);
        await Poll.UntilAsync(async () => (await book.Received()).Length >= 10, TimeSpan.FromSeconds(20), "ten deliveries");

        await cluster.KillSiloAsync(owner);
        await cluster.WaitForLivenessToStabilizeAsync();
        for (var i = 11; i <= 20; i++)
        {
            await stream.OnNextAsync(new OrderEvent(i, "after"));
        }

        await Poll.UntilAsync(async () => (await book.Received()).Distinct().Count() >= 20, TimeSpan.FromSeconds(30), "all twenty delivered");
        var received = await book.Received();
        Assert.Equal(Enumerable.Range(1, 20), received.Distinct());
    }

    [RequiresFact(Component.Postgres)]
    [Trait("Invariant", "R10")]
    public async Task A_client_survives_the_loss_of_its_gateway_and_keeps_per_grain_order()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();
        using var client = new ClusterClient(new ClusterClientOptions { Gateways = cluster.Gateways, ResponseTimeout = TimeSpan.FromSeconds(20) });
        var counter = client.GetGrain<ICounterGrain>(NewKey());
        var values = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            values.Add(await counter.Add(1));
        }

        // Kill the gateway this grain is pinned to (the one that answered), then keep calling.
        var pinned = cluster.RunningSilos.First(s => s.Address.Endpoint == client.GatewayFor(typeof(ICounterGrain), values.Count > 0 ? KeyOf(counter) : string.Empty));
        await cluster.KillSiloAsync(pinned);
        var after = 0;
        await Poll.UntilAsync(async () =>
        {
            try
            {
                values.Add(await counter.Add(1));
                after++;
            }
            catch (SiloUnavailableException)
            {
                // Until the dead silo is declared dead, calls to a grain it hosted fail (outcome unknown); they are not retried.
            }

            return after == 20;
        }, TimeSpan.FromSeconds(30), "twenty calls through the remaining gateways", TimeSpan.Zero);

        Assert.Equal(values.Order(), values);
        Assert.Equal(values.Count, values.Distinct().Count());
    }

    [RequiresFact(Component.Postgres)]
    public async Task A_client_seeded_with_one_gateway_learns_the_others_and_survives_the_seed()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();
        var seed = cluster.Silos[0];
        using var client = new ClusterClient(new ClusterClientOptions { Gateways = [seed.Address.Endpoint] });

        await client.RefreshGatewaysAsync();
        Assert.Equal(
            cluster.Gateways.Select(g => g.ToString()).Order(StringComparer.Ordinal),
            client.Gateways.Select(g => g.ToString()).Order(StringComparer.Ordinal));

        await cluster.KillSiloAsync(seed);
        await cluster.WaitForLivenessToStabilizeAsync();
        Assert.Equal(1, await client.GetGrain<ICounterGrain>(NewKey()).Add(1));
    }

    private static string KeyOf(ICounterGrain grain) => ((GrainProxy)(object)grain).Key;

    private static TickStatus[] Ticks(string key) => Probe.Ticks.TryGetValue($"{key}/beat", out var ticks) ? ticks.ToArray() : [];
}

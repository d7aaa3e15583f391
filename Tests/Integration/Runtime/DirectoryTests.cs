using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using Npgsql;
using OrleansDcos.Runtime;
using OrleansDcos.Runtime.Hosting;
using OrleansDcos.Runtime.Testing;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Integration.Runtime;

/// <summary>Single activation across silos, routing, failover and placement on a 3-silo TestCluster.</summary>
[Trait("Area", "Runtime")]
[Collection(ClusterCollection.Name)]
public sealed class DirectoryTests
{
    private static Task<TestCluster> StartClusterAsync(TimeSpan? responseTimeout = null) => TestCluster.StartAsync(new TestClusterOptions
    {
        PostgresConnectionString = TestEnvironment.PostgresConnectionString!,
        GrainAssemblies = [typeof(DirectoryTests).Assembly],
        Runtime = responseTimeout is { } timeout ? b => b.Services.Configure<GrainRuntimeOptions>(o => o.ResponseTimeout = timeout) : null,
    });

    private static string NewKey() => Guid.NewGuid().ToString("N");

    [RequiresFact(Component.Postgres)]
    [Trait("Invariant", "R1")]
    [Trait("Invariant", "R2")]
    public async Task Concurrent_first_calls_from_every_silo_make_one_activation_and_one_directory_row()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();
        var key = NewKey();

        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            Task.Run(() => cluster.Silos[i % 3].Grains.GetGrain<IWhereGrain>(key).Where())));

        Assert.Single(results.Distinct());
        Assert.Equal(1, await cluster.Silos[0].Grains.GetGrain<IWhereGrain>(key).Activations());
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from grain_directory where grain_id = @g", connection);
        count.Parameters.AddWithValue("g", $"where/{key}");
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [RequiresFact(Component.Postgres)]
    [Trait("Invariant", "R1")]
    public async Task A_silo_whose_view_lags_never_replaces_a_live_activation_on_a_silo_it_does_not_know()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();
        var lagging = cluster.Silos[0];
        lagging.Table.Unreachable = true; // its membership view stops moving (well within its lease)
        try
        {
            var newcomer = await cluster.StartSiloAsync();
            Assert.Null(lagging.Membership.Current.Find(newcomer.Address));
            var key = NewKey();
            Assert.Equal(newcomer.Address.ToString(), await newcomer.Grains.GetGrain<ILocalWhereGrain>(key).Where());

            var answer = await lagging.Grains.GetGrain<ILocalWhereGrain>(key).Where();

            Assert.Equal(newcomer.Address.ToString(), answer);
            Assert.Equal(1, await newcomer.Grains.GetGrain<ILocalWhereGrain>(key).Activations());
        }
        finally
        {
            lagging.Table.Unreachable = false;
        }
    }

    [RequiresFact(Component.Postgres)]
    [Trait("Invariant", "R8")]
    public async Task After_a_silo_is_killed_its_grains_answer_elsewhere_with_their_last_saved_state()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();
        var keys = Enumerable.Range(0, 12).Select(_ => NewKey()).ToArray();
        foreach (var key in keys)
        {
            await cluster.Silos[0].Grains.GetGrain<ICounterGrain>(key).Add(7);
            await cluster.Silos[1].Grains.GetGrain<ICounterGrain>(key).Add(3);
        }

        var victim = cluster.Silos[2];
        await cluster.KillSiloAsync(victim);
        await cluster.WaitForLivenessToStabilizeAsync();

        foreach (var key in keys)
        {
            Assert.Equal(10, await cluster.Silos[(key[0] % 2)].Grains.GetGrain<ICounterGrain>(key).Get());
        }
    }

    [RequiresFact(Component.Postgres)]
    [Trait("Invariant", "R4")]
    public async Task A_call_pending_on_a_killed_silo_fails_fast_with_silo_unavailable()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();
        var caller = cluster.Silos[0];
        var key = NewKey();
        var grain = cluster.Silos[1].Grains.GetGrain<ILocalWhereGrain>(key);
        Assert.Equal(cluster.Silos[1].Address.ToString(), await grain.Where()); // placed on silo 1
        var pending = caller.Grains.GetGrain<ILocalWhereGrain>(key).Hang();
        var clock = Stopwatch.StartNew();

        await cluster.KillSiloAsync(cluster.Silos[1]);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => pending);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed.TotalSeconds:0.0} s (the response timeout is 30 s)");
    }

    [RequiresFact(Component.Postgres)]
    public async Task A_remote_call_past_its_deadline_fails_with_a_timeout_and_the_link_keeps_serving()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync(responseTimeout: TimeSpan.FromSeconds(1));
        var (caller, host) = (cluster.Silos[0], cluster.Silos[1]);
        var (slow, quick) = (NewKey(), NewKey());
        await host.Grains.GetGrain<ILocalWhereGrain>(slow).Where(); // both placed on the host silo
        await host.Grains.GetGrain<ILocalWhereGrain>(quick).Where();
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => caller.Grains.GetGrain<ILocalWhereGrain>(slow).Hang());

        Assert.Contains("outcome is unknown", ex.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.Equal(host.Address.ToString(), await caller.Grains.GetGrain<ILocalWhereGrain>(quick).Where());
    }

    [RequiresFact(Component.Postgres)]
    public async Task Long_running_calls_to_a_silo_never_hold_up_other_calls_to_it()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();
        var (caller, host) = (cluster.Silos[0], cluster.Silos[1]);
        var keys = Enumerable.Range(0, 20).Select(_ => NewKey()).ToArray();
        foreach (var key in keys)
        {
            await host.Grains.GetGrain<ILocalWhereGrain>(key).Where(); // placed on the host silo
        }

        var hanging = keys.Select(key => caller.Grains.GetGrain<ILocalWhereGrain>(key).Hang()).ToArray();
        var quick = NewKey();
        await host.Grains.GetGrain<ILocalWhereGrain>(quick).Where();

        Assert.Equal(host.Address.ToString(), await caller.Grains.GetGrain<ILocalWhereGrain>(quick).Where().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.All(hanging, h => Assert.False(h.IsCompleted));
    }

    [RequiresFact(Component.Postgres)]
    [Trait("Invariant", "R7")]
    public async Task A_call_cycle_across_silos_fails_fast_with_a_deadlock_exception()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();

        var ex = await Assert.ThrowsAsync<DeadlockException>(() => cluster.Silos[0].Grains.GetGrain<IPingGrain>(NewKey()).PingVia(NewKey()));

        Assert.Contains("deadlock", ex.Message);
    }

    [RequiresFact(Component.Postgres)]
    public async Task Prefer_local_and_hash_based_placement_choose_their_silos()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();

        foreach (var silo in cluster.Silos)
        {
            Assert.Equal(silo.Address.ToString(), await silo.Grains.GetGrain<ILocalWhereGrain>(NewKey()).Where());
        }

        var hashed = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => cluster.Silos[i % 3].Grains.GetGrain<IHashedWhereGrain>($"h{i}").Where()));
        var silos = cluster.Silos.Select(s => s.Address).Order().ToArray();
        for (var i = 0; i < 30; i++)
        {
            var expected = silos[(int)((uint)StableHash($"hashedwhere/h{i}") % 3)];
            Assert.Equal(expected.ToString(), hashed[i]);
        }
    }

    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}

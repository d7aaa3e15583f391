using System.Diagnostics;
using OrleansDcos.Runtime.Membership;
using OrleansDcos.Providers.Sql;
using OrleansDcos.Runtime.Testing;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Integration.Runtime;

/// <summary>Membership over PostgreSQL on an in-process TestCluster: join, detection, votes, fencing, restarts.</summary>
[Trait("Area", "Runtime")]
[Collection(ClusterCollection.Name)]
public sealed class MembershipTests
{
    private static Task<TestCluster> StartClusterAsync(int silos = 3) => TestCluster.StartAsync(new TestClusterOptions
    {
        PostgresConnectionString = TestEnvironment.PostgresConnectionString!,
        InitialSilos = silos,
        GrainAssemblies = [typeof(MembershipTests).Assembly],
    });

    [RequiresFact(Component.Postgres)]
    public async Task Three_silos_join_one_cluster_and_see_each_other_active()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();

        await cluster.WaitForLivenessToStabilizeAsync();

        Assert.Equal(["127.0.0.2", "127.0.0.3", "127.0.0.4"], cluster.Silos.Select(s => s.Address.Host));
        Assert.All(cluster.Silos, s => Assert.Equal(3, s.Membership.ActiveSilos.Count));
    }

    [RequiresFact(Component.Postgres)]
    [Trait("Invariant", "R3")]
    public async Task Each_mutation_bumps_the_version_by_one_one_of_concurrent_writers_wins_and_dead_is_final()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var schema = await PostgresSchema.CreateAsync();
        await using var database = new PostgresDatabase(schema.ConnectionString);
        var table = new PostgresMembershipTable(database, "r3");
        var now = DateTimeOffset.UtcNow;
        var silo = new SiloAddress("127.0.0.9", 1, 1);
        Assert.True(await table.InsertAsync(new MembershipEntry(silo, SiloStatus.Joining, "s", now, now), 0));
        var v1 = await table.ReadAllAsync();
        Assert.Equal(1, v1.Version);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            table.UpdateAsync(v1.Entries[0] with { Status = SiloStatus.Active, Name = $"writer-{i}" }, v1.Version)));

        Assert.Equal(1, outcomes.Count(won => won));
        Assert.Equal(2, (await table.ReadAllAsync()).Version);
        var v2 = await table.ReadAllAsync();
        Assert.True(await table.UpdateAsync(v2.Entries[0] with { Status = SiloStatus.Dead }, v2.Version));
        var v3 = await table.ReadAllAsync();
        Assert.False(await table.UpdateAsync(v3.Entries[0] with { Status = SiloStatus.Active }, v3.Version));
        Assert.Equal(SiloStatus.Dead, (await table.ReadAllAsync()).Entries[0].Status);
        Assert.Equal(3, (await table.ReadAllAsync()).Version);
    }

    [RequiresFact(Component.Postgres)]
    [Trait("Invariant", "R5")]
    public async Task A_killed_silo_is_declared_dead_within_ten_seconds_with_default_options()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();
        await cluster.WaitForLivenessToStabilizeAsync();
        var victim = cluster.Silos[1];
        var victimAddress = victim.Address;
        var clock = Stopwatch.StartNew();

        await cluster.KillSiloAsync(victim);
        await cluster.WaitForLivenessToStabilizeAsync(TimeSpan.FromSeconds(20));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.All(cluster.RunningSilos, s => Assert.Equal(SiloStatus.Dead, s.Membership.Current.Find(victimAddress)!.Status));
    }

    [RequiresFact(Component.Postgres)]
    [Trait("Invariant", "R5")]
    public async Task Healthy_silos_are_never_suspected()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();
        await cluster.WaitForLivenessToStabilizeAsync();
        var counter = cluster.Silos[0].Grains.GetGrain<ICounterGrain>(Guid.NewGuid().ToString("N"));
        var clock = Stopwatch.StartNew();

        // Six seconds of probing (more than the time to declare a dead silo) with work going on.
        while (clock.Elapsed < TimeSpan.FromSeconds(6))
        {
            await counter.Add(1);
        }

        var view = cluster.Silos[2].Membership.Current;
        Assert.All(view.Entries, e => Assert.Equal(SiloStatus.Active, e.Status));
        Assert.All(view.Entries, e => Assert.Empty(e.SuspectTimes));
    }

    [RequiresFact(Component.Postgres)]
    [Trait("Invariant", "R4")]
    public async Task A_partitioned_silo_is_voted_out_and_fences_itself()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();
        await cluster.WaitForLivenessToStabilizeAsync();
        var cutOff = cluster.Silos[2];

        await cluster.PartitionSiloAsync(cutOff);

        await Poll.UntilAsync(() => Task.FromResult(!cutOff.IsRunning), TimeSpan.FromSeconds(20), "the partitioned silo to fence itself");
        Assert.Contains("Dead", cutOff.FatalError);
        Assert.False(cutOff.Membership.IsAdmitting);
        await cluster.WaitForLivenessToStabilizeAsync();
    }

    [RequiresFact(Component.Postgres)]
    [Trait("Invariant", "R4")]
    public async Task A_silo_that_cannot_reach_the_table_for_its_lease_fences_itself_and_is_dropped()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions
        {
            PostgresConnectionString = TestEnvironment.PostgresConnectionString!,
            GrainAssemblies = [typeof(MembershipTests).Assembly],
            Membership = m =>
            {
                m.LeaseDuration = TimeSpan.FromSeconds(3);
                m.TableRefreshInterval = TimeSpan.FromSeconds(1);
            },
        });
        await cluster.WaitForLivenessToStabilizeAsync();
        var isolated = cluster.Silos[1];

        isolated.Table.Unreachable = true;

        await Poll.UntilAsync(() => Task.FromResult(!isolated.IsRunning), TimeSpan.FromSeconds(20), "the silo to fence itself");
        Assert.Contains("could not reach the membership table", isolated.FatalError);
        await cluster.WaitForLivenessToStabilizeAsync();
    }

    [RequiresFact(Component.Postgres)]
    public async Task A_restarted_silo_is_a_new_generation_and_its_old_one_is_dead()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();
        var old = cluster.Silos[0];
        var oldAddress = old.Address;

        var restarted = await cluster.RestartSiloAsync(old);
        await cluster.WaitForLivenessToStabilizeAsync();

        Assert.True(restarted.Address.SameEndpoint(oldAddress));
        Assert.True(restarted.Address.Generation > oldAddress.Generation);
        Assert.Equal(SiloStatus.Dead, restarted.Membership.Current.Find(oldAddress)!.Status);
    }

    [RequiresFact(Component.Postgres)]
    public async Task A_gracefully_stopped_silo_marks_itself_dead_at_once()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var cluster = await StartClusterAsync();
        await cluster.WaitForLivenessToStabilizeAsync();
        var leaving = cluster.Silos[1];
        var address = leaving.Address;

        await cluster.StopSiloAsync(leaving);

        // The row is Dead the moment the stop returns, and no peer voted: the silo wrote it itself.
        var row = (await cluster.Silos[0].Table.ReadAllAsync()).Find(address)!;
        Assert.Equal(SiloStatus.Dead, row.Status);
        Assert.Empty(row.SuspectTimes);
        await cluster.WaitForLivenessToStabilizeAsync();
        Assert.Equal(SiloStatus.Dead, cluster.Silos[0].Membership.Current.Find(address)!.Status);
    }
}

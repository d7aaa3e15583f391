using System.Collections.Concurrent;
using System.Globalization;
using OrleansDcos.Grains.Jobs;
using OrleansDcos.Tests.Integration.Master;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Jobs;
using OrleansDcos.Tests.Support.Master;
using OrleansDcos.Tests.Support.Silo;
using Xunit;
using static OrleansDcos.Tests.Support.Jobs.ChronosApi;

namespace OrleansDcos.Tests.Integration.Jobs;

/// <summary>Jobs on a 3-silo cluster with simulated agents: the silo that hosts a job dies at its due instant.</summary>
[Trait("Area", "Jobs")]
[Collection(ClusterCollection.Name)]
public sealed class ChronosFailoverTests
{
    [RequiresFact(Component.Postgres)]
    public async Task A_silo_killed_at_a_due_instant_yields_exactly_one_run_of_that_due_time_and_every_other()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync(silos: 3, jobs: true);
        var launched = new ConcurrentBag<string>();
        foreach (var agent in await master.AddAgentsAsync(3))
        {
            agent.Behaviour = spec =>
            {
                launched.Add(spec.TaskId);
                return new SimulatedOutcome(TimeSpan.FromMilliseconds(20), RunFor: TimeSpan.FromMilliseconds(300));
            };
        }

        // Every 8 s, with an epsilon longer than a failover takes: a due time met by the failover still runs, late.
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(3).ToUnixTimeMilliseconds());
        using (var api = new ChronosApi(master.Gateway))
        {
            await api.PutJobAsync(new() { ["name"] = "exact", ["command"] = "run", ["schedule"] = $"R/{At(start)}/PT8S", ["epsilon"] = "PT30S", ["mem"] = 32, ["disk"] = 0 });
            await api.WaitForRunsAsync("exact", "succeeded", 1);
        }

        // The silo hosting the job's grain dies at the next due instant.
        var victim = await master.SiloOfAsync(master.Grains.GetGrain<IJobGrain>("exact")) ?? master.Cluster.RunningSilos[1];
        var due = start.AddSeconds(8);
        await Task.Delay(due - DateTimeOffset.UtcNow is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero); // the scenario's instant, not a condition
        await master.Cluster.KillSiloAsync(victim);
        await master.Cluster.WaitForLivenessToStabilizeAsync();

        using var survivor = new ChronosApi(master.Cluster.Gateways[0]);
        var runs = await survivor.WaitForRunsAsync("exact", "succeeded", 3, TimeSpan.FromSeconds(60));

        // Each due time once: one history entry, one task launched — not zero, not two — and none left out.
        var history = (await survivor.RunsAsync("exact")).Select(r => Time(r!.AsObject(), "due")).ToList();
        Assert.Equal(history.Count, history.Distinct().Count());
        Assert.Contains(due, runs.Select(r => Time(r, "due")));
        var byDue = launched.GroupBy(DueOf).ToDictionary(g => g.Key, g => g.Distinct().Count());
        Assert.All(byDue, kv => Assert.True(kv.Value == 1, $"due {kv.Key:O} was launched {kv.Value} times: {string.Join(", ", launched)}"));
        var last = runs.Max(r => Time(r, "due"));
        for (var at = start; at <= last; at = at.AddSeconds(8))
        {
            Assert.True(history.Contains(at), $"due {at:O} was neither run nor skipped");
        }

        Assert.Equal(1, byDue[due]);
    }

    [RequiresFact(Component.Postgres)]
    public async Task A_run_launched_just_before_its_jobs_silo_dies_is_taken_back_not_skipped_nor_launched_again()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync(silos: 3, jobs: true);
        var launched = new ConcurrentBag<string>();
        WebSilo? victim = null;
        string? target = null;
        Task? killing = null;
        foreach (var agent in await master.AddAgentsAsync(3))
        {
            agent.Behaviour = spec =>
            {
                launched.Add(spec.TaskId);
                if (victim is not null && Interlocked.CompareExchange(ref target, spec.TaskId, null) is null)
                {
                    // The job has not written its run (its task's first status comes in 4 s) when its silo dies.
                    var dying = victim;
                    killing = Task.Run(async () =>
                    {
                        // Later than the epsilon: the job's next activation could not run the due time again.
                        await Task.Delay(TimeSpan.FromMilliseconds(500));
                        await master.Cluster.KillSiloAsync(dying);
                    });
                    return new SimulatedOutcome(TimeSpan.FromSeconds(4), RunFor: TimeSpan.FromMilliseconds(300));
                }

                return new SimulatedOutcome(TimeSpan.FromMilliseconds(20), RunFor: TimeSpan.FromMilliseconds(300));
            };
        }

        // An epsilon shorter than a failover: found again by the job's next activation, the due time would be skipped.
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(3).ToUnixTimeMilliseconds());
        using (var api = new ChronosApi(master.Gateway))
        {
            await api.PutJobAsync(new() { ["name"] = "adopt", ["command"] = "run", ["schedule"] = $"R/{At(start)}/PT8S", ["epsilon"] = "PT0.3S", ["mem"] = 32, ["disk"] = 0 });
            await api.WaitForRunsAsync("adopt", "succeeded", 1, TimeSpan.FromSeconds(30));
        }

        victim = await master.SiloOfAsync(master.Grains.GetGrain<IJobGrain>("adopt")) ?? master.Cluster.RunningSilos[1];
        await (await PollValue.UntilAsync(() => Task.FromResult(Volatile.Read(ref killing)), TimeSpan.FromSeconds(30), "the job's next run to be launched"));
        await master.Cluster.WaitForLivenessToStabilizeAsync();

        using var survivor = new ChronosApi(master.Cluster.Gateways[0]);
        var due = DueOf(target!);
        var runs = await PollValue.UntilAsync(
            async () => (await survivor.RunsAsync("adopt")).Select(r => r!.AsObject()).Where(r => Time(r, "due") == due).ToList() is { Count: > 0 } ended ? ended : null,
            TimeSpan.FromSeconds(60), $"the run due {due:O} to end");
        Assert.Equal("succeeded", Assert.Single(runs)["state"]!.GetValue<string>());
        Assert.Single(launched, id => id == target);
    }

    private static DateTimeOffset DueOf(string taskId) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(taskId.Split(':')[1], CultureInfo.InvariantCulture));
}

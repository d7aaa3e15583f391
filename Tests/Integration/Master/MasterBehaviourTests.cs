using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Master;
using Xunit;

namespace OrleansDcos.Tests.Integration.Master;

/// <summary>Mesos master semantics: weighted DRF, unreachable agents, failover timeouts, reconciliation, no double booking, silo failover.</summary>
[Trait("Area", "Master")]
[Collection(ClusterCollection.Name)]
public sealed class MasterBehaviourTests
{
    [RequiresFact(Component.Postgres)]
    public async Task Two_frameworks_with_weights_1_and_3_converge_to_1_to_3_dominant_shares()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();

        // Agents of exactly eight tasks' cpus and mem (no disk, no ports): what a framework leaves of an offer is
        // always a whole number of tasks, so no offer of leftovers nobody can use (disk, say) inflates a share.
        await master.AddAgentsAsync(8, "cpus:4;mem:512");
        using var http = new HttpClient { BaseAddress = master.Gateway };
        var put = await http.PutAsJsonAsync("/weights", new[] { new { role = "a", weight = 1.0 }, new { role = "b", weight = 3.0 } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(2, (await http.GetFromJsonAsync<JsonArray>("/weights"))!.Count);

        // Both frameworks always want more, one 0.5-cpu task per offer (the rest of an offer goes back to the pool at
        // once): the allocator hands out the 32 cpus task by task, by weighted DRF, until they are all used. Tasks
        // never end, so the split it reaches is its own, not the noise of tasks ending and offers racing them (an
        // earlier version sampled instant shares under 300 ms tasks: their ratio swung from 1 to 8 and its median sat
        // near 2.5 on a loaded machine).
        await using var a = new RawFramework(master.Gateway);
        await using var b = new RawFramework(master.Gateway);
        await a.SubscribeAsync("fa", ["a"]);
        await b.SubscribeAsync("fb", ["b"]);
        using var stop = new CancellationTokenSource();
        var loops = new[] { OneTaskPerOfferAsync(a, "a", stop.Token), OneTaskPerOfferAsync(b, "b", stop.Token) };
        await Poll.UntilAsync(() => Task.FromResult(Running(master) == 64), TimeSpan.FromSeconds(60), () => $"all 32 cpus used (running {Running(master)})");
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        int Of(string prefix) => master.Agents.Sum(x => x.Tasks.Count(t => t.Key.StartsWith(prefix, StringComparison.Ordinal) && t.Value == TaskState.TASK_RUNNING));
        var snapshot = await master.Grains.GetGrain<IAllocatorGrain>(MasterKeys.Allocator).GetSnapshot();
        var shares = snapshot.FrameworkShares;
        var (sa, sb) = (shares[a.FrameworkId!], shares[b.FrameworkId!]);
        Assert.True(Of("a-") is >= 15 and <= 17 && Of("b-") is >= 47 and <= 49 && sb / sa is >= 2.7 and <= 3.3,
            $"a runs {Of("a-")} tasks (share {sa:F3}), b runs {Of("b-")} (share {sb:F3}): b/a {sb / sa:F2}, expected 48:16, 3");
        Assert.All(master.Agents, x => Assert.Empty(x.Violations));
    }

    [RequiresFact(Component.Postgres)]
    public async Task A_silent_agent_becomes_unreachable_its_frameworks_are_told_and_it_comes_back()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();
        var agents = await master.AddAgentsAsync(1);
        await using var aware = new RawFramework(master.Gateway);
        await using var legacy = new RawFramework(master.Gateway);
        await aware.SubscribeAsync("aware", partitionAware: true);
        await aware.LaunchAsync(await aware.NextOfferAsync(), [("p1", RawFramework.Scalars(1, 64))], refuseSeconds: 0);
        await aware.WaitForStateAsync("p1", "TASK_RUNNING");
        await master.QuiesceAsync(aware);
        await legacy.SubscribeAsync("legacy");
        await legacy.LaunchAsync(await legacy.NextOfferAsync(), [("l1", RawFramework.Scalars(1, 64))]);
        await legacy.WaitForStateAsync("l1", "TASK_RUNNING");

        agents[0].Silence();
        await aware.WaitForStateAsync("p1", "TASK_UNREACHABLE", TimeSpan.FromSeconds(10));
        await legacy.WaitForStateAsync("l1", "TASK_LOST", TimeSpan.FromSeconds(10));
        Assert.Contains(aware.Events, e => e["type"]!.GetValue<string>() == "FAILURE" && e["failure"]!["agent_id"]!["value"]!.GetValue<string>() == agents[0].AgentId);
        using var http = new HttpClient { BaseAddress = master.Gateway };
        var state = JsonNode.Parse(await http.GetStringAsync("/master/state"))!;
        Assert.Equal(1, state["unreachable_slaves"]!.GetValue<int>());
        Assert.DoesNotContain(state["slaves"]!.AsArray(), s => s!["id"]!.GetValue<string>() == agents[0].AgentId);
        Assert.Contains(state["frameworks"]!.AsArray().SelectMany(f => f!["unreachable_tasks"]!.AsArray()), t => t!["id"]!.GetValue<string>() == "p1");

        // It speaks again: told to re-register, it does, and its task is back.
        var registrations = agents[0].Registrations;
        agents[0].Speak();
        await aware.WaitForStateAsync("p1", "TASK_RUNNING", TimeSpan.FromSeconds(10));
        Assert.True(agents[0].Registrations > registrations);
        Assert.Contains(aware.Updates("p1"), u => u["update"]!["status"]!["reason"]?.GetValue<string>() == TaskReasons.AgentReregistered);
    }

    [RequiresFact(Component.Postgres)]
    public async Task An_agent_inside_the_silos_own_process_is_never_declared_unreachable_by_it()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();
        var agents = await master.AddAgentsAsync(2);
        master.Cluster.RunningSilos[0].Services.GetRequiredService<AgentLiveness>().MarkInProcess(agents[0].AgentId);

        // Both fall silent (as an embedded daemon would while its silo is too busy to read it); only the one that
        // lives elsewhere becomes unreachable.
        agents[0].Silence();
        agents[1].Silence();
        using var http = new HttpClient { BaseAddress = master.Gateway };
        await Poll.UntilAsync(async () => JsonNode.Parse(await http.GetStringAsync("/master/state"))!["slaves"]!.AsArray()
            .All(s => s!["id"]!.GetValue<string>() != agents[1].AgentId), TimeSpan.FromSeconds(10), "the other agent unreachable");
        var state = JsonNode.Parse(await http.GetStringAsync("/master/state"))!;
        Assert.Equal(1, state["unreachable_slaves"]!.GetValue<int>());
        Assert.True(state["slaves"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == agents[0].AgentId)!["active"]!.GetValue<bool>());
    }

    [RequiresFact(Component.Postgres)]
    public async Task A_framework_keeps_its_tasks_within_failover_timeout_and_loses_them_after_it()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();
        var agents = await master.AddAgentsAsync(1);

        var patient = new RawFramework(master.Gateway);
        await patient.SubscribeAsync("patient", failoverTimeout: 60);
        await patient.LaunchAsync(await patient.NextOfferAsync(), [("keep", RawFramework.Scalars(1, 64))], refuseSeconds: 0);
        await patient.WaitForStateAsync("keep", "TASK_RUNNING");
        await master.QuiesceAsync(patient);
        var hasty = new RawFramework(master.Gateway);
        await hasty.SubscribeAsync("hasty", failoverTimeout: 1);
        await hasty.LaunchAsync(await hasty.NextOfferAsync(), [("lose", RawFramework.Scalars(1, 64))]);
        await hasty.WaitForStateAsync("lose", "TASK_RUNNING");

        await patient.DisposeAsync();
        await hasty.DisposeAsync();

        // Past its 1 s timeout the hasty framework is torn down and its task killed; the patient one's task runs on.
        await Poll.UntilAsync(() => Task.FromResult(!agents[0].Tasks.ContainsKey("lose") || agents[0].Tasks["lose"] == TaskState.TASK_KILLED),
            TimeSpan.FromSeconds(15), "the hasty framework's task killed");
        Assert.Equal(TaskState.TASK_RUNNING, agents[0].Tasks["keep"]);
        using var http = new HttpClient { BaseAddress = master.Gateway };
        var frameworks = JsonNode.Parse(await http.GetStringAsync("/master/frameworks"))!;
        Assert.Contains(frameworks["completed_frameworks"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "hasty");
        Assert.Contains(frameworks["frameworks"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "patient" && !f["connected"]!.GetValue<bool>());

        await using var hastyAgain = new RawFramework(master.Gateway);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => hastyAgain.SubscribeAsync("hasty", frameworkId: hasty.FrameworkId));
        Assert.Contains("403", refused.Message);

        // The patient framework comes back under its id and reconciles: its task is running; an unknown one is LOST.
        await using var back = new RawFramework(master.Gateway);
        await back.SubscribeAsync("patient", failoverTimeout: 60, frameworkId: patient.FrameworkId);
        await back.CallOkAsync("RECONCILE", new JsonObject
        {
            ["tasks"] = new JsonArray(
                new JsonObject { ["task_id"] = new JsonObject { ["value"] = "keep" } },
                new JsonObject { ["task_id"] = new JsonObject { ["value"] = "never-launched" } }),
        });
        await back.WaitForStateAsync("keep", "TASK_RUNNING");
        await back.WaitForStateAsync("never-launched", "TASK_LOST");
        Assert.All(back.Updates("keep"), u => Assert.Equal(TaskReasons.Reconciliation, u["update"]!["status"]!["reason"]!.GetValue<string>()));

        // Implicit reconciliation answers for every task the master knows.
        var before = back.Updates("keep").Count();
        await back.CallOkAsync("RECONCILE", new JsonObject { ["tasks"] = new JsonArray() });
        await Poll.UntilAsync(() => Task.FromResult(back.Updates("keep").Count() > before), TimeSpan.FromSeconds(10), "implicit reconciliation answered");
    }

    [RequiresFact(Component.Postgres)]
    public async Task No_resource_is_ever_double_booked_during_a_randomized_run()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();
        var agents = await master.AddAgentsAsync(6, "cpus:2;mem:2048;ports:[31000-31009]");
        var random = new Random(7);
        foreach (var agent in agents)
        {
            agent.Behaviour = _ =>
            {
                lock (random)
                {
                    return new SimulatedOutcome(TimeSpan.FromMilliseconds(random.Next(0, 30)), TimeSpan.FromMilliseconds(random.Next(50, 600)),
                        random.Next(3) == 0 ? TaskState.TASK_FAILED : TaskState.TASK_FINISHED);
                }
            };
        }

        var frameworks = new List<RawFramework>();
        using var stop = new CancellationTokenSource();
        var loops = new List<Task>();
        for (var i = 0; i < 3; i++)
        {
            var framework = new RawFramework(master.Gateway);
            await framework.SubscribeAsync($"random-{i}");
            frameworks.Add(framework);
            loops.Add(RandomFrameworkAsync(framework, $"f{i}", new Random(i), stop.Token));
        }

        var allocator = master.Grains.GetGrain<IAllocatorGrain>(MasterKeys.Allocator);
        var checks = 0;
        var until = DateTime.UtcNow.AddSeconds(8);
        while (DateTime.UtcNow < until)
        {
            var snapshot = await allocator.GetSnapshot();
            foreach (var agent in snapshot.Agents)
            {
                var sum = agent.Free.Plus(agent.Offered).Plus(agent.Used);
                Assert.True(sum.Equals(agent.Total), $"agent {agent.AgentId}: free {agent.Free} + offered {agent.Offered} + used {agent.Used} != total {agent.Total}");
            }

            Assert.All(agents, a => Assert.Empty(a.Violations));
            checks++;
            await Task.Delay(25);
        }

        await stop.CancelAsync();
        await Task.WhenAll(loops);
        var launched = frameworks.Sum(f => f.TaskStates.Count);
        Assert.True(launched > 100, $"only {launched} tasks were launched");
        Assert.True(checks > 50);
        foreach (var framework in frameworks)
        {
            await framework.DisposeAsync();
        }
    }

    [RequiresFact(Component.Postgres)]
    public async Task Scheduling_continues_without_duplicate_or_lost_tasks_when_a_silo_is_killed()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync(silos: 3);
        var agents = await master.AddAgentsAsync(6);
        var framework = new RawFramework(master.Gateway);
        await framework.SubscribeAsync("survivor", failoverTimeout: 120);
        var frameworkId = framework.FrameworkId!;
        var first = await LaunchAsync(framework, "before", 12);
        foreach (var id in first)
        {
            await framework.WaitForStateAsync(id, "TASK_RUNNING");
        }

        await master.Cluster.KillSiloAsync(master.Cluster.RunningSilos[1]);
        await master.Cluster.WaitForLivenessToStabilizeAsync();

        // Agents linked to the dead silo come back through the others; the framework resubscribes if its stream ended.
        await Poll.UntilAsync(() => Task.FromResult(agents.All(a => a.Connected)), TimeSpan.FromSeconds(30), "every agent connected again");
        // The stream may end at any point of the failover (when it next polls a framework grain that lost its
        // silo); a framework subscribes again whenever it does, as a real one would.
        var survivor = framework;
        var resubscribed = new List<RawFramework>();
        async Task<System.Text.Json.Nodes.JsonObject> OfferAsync()
        {
            System.Text.Json.Nodes.JsonObject? offer = null;
            await Poll.UntilAsync(async () =>
            {
                if (survivor.StreamEnded)
                {
                    survivor = new RawFramework(master.Gateway);
                    resubscribed.Add(survivor);
                    await survivor.SubscribeAsync("survivor", failoverTimeout: 120, frameworkId: frameworkId);
                }

                offer = survivor.Offers.Values.FirstOrDefault(o => RawFramework.Scalar(o, "cpus") >= 0.5);
                return offer is not null;
            }, TimeSpan.FromSeconds(30), "an offer after the failover");
            return offer!;
        }

        // Offers made before the failover may be void (a framework learns it from RESCIND or a LOST launch) and
        // relaunches under a new id, as a real one does.
        var second = new List<string>();
        for (var slot = 0; slot < 12; slot++)
        {
            for (var attempt = 0; ; attempt++)
            {
                Assert.True(attempt < 5, $"slot {slot} never launched");
                var id = $"after-{slot}-{attempt}";
                var offer = await OfferAsync();
                try
                {
                    await survivor.LaunchAsync(offer, [(id, RawFramework.Scalars(0.5, 64))], refuseSeconds: 0);
                }
                catch (InvalidOperationException ex) when (ex.Message.Contains("answered 403", StringComparison.Ordinal))
                {
                    // The framework's grain came back on another silo and forgot the subscription (as a Mesos master
                    // failover does): its stream ends, and the framework subscribes again and takes a new offer.
                    continue;
                }

                await Poll.UntilAsync(() => Task.FromResult(survivor.TaskStates.GetValueOrDefault(id) is "TASK_RUNNING" or "TASK_LOST" or "TASK_DROPPED"), TimeSpan.FromSeconds(30), $"{id} settled");
                if (survivor.TaskStates[id] == "TASK_RUNNING")
                {
                    second.Add(id);
                    break;
                }
            }
        }

        // Every task runs on exactly one agent, none was lost, and reconciliation agrees.
        var running = agents.SelectMany(a => a.Tasks.Where(t => t.Value == TaskState.TASK_RUNNING).Select(t => t.Key)).ToList();
        Assert.Equal(running.Count, running.Distinct().Count());
        Assert.Equal(first.Concat(second).Order(), running.Order());
        // An agent grain that is still coming back answers nothing yet: like a real framework, reconcile until answered.
        bool Reconciled() => first.All(id => survivor.Updates(id).Any(u => u["update"]!["status"]!["reason"]?.GetValue<string>() == TaskReasons.Reconciliation
            && u["update"]!["status"]!["state"]!.GetValue<string>() == "TASK_RUNNING"));
        var lastAsked = DateTime.MinValue;
        await Poll.UntilAsync(async () =>
        {
            if (!Reconciled() && DateTime.UtcNow - lastAsked > TimeSpan.FromSeconds(2))
            {
                lastAsked = DateTime.UtcNow;
                await survivor.CallOkAsync("RECONCILE", new JsonObject { ["tasks"] = new JsonArray(first.Select(id => (JsonNode)new JsonObject { ["task_id"] = new JsonObject { ["value"] = id } }).ToArray()) });
            }

            return Reconciled();
        }, TimeSpan.FromSeconds(20), "reconciliation: every task running");
        Assert.All(agents, a => Assert.Empty(a.Violations));
        foreach (var subscription in resubscribed.Append(framework))
        {
            await subscription.DisposeAsync();
        }
    }

    private static int Running(MasterCluster master) => master.Agents.Sum(a => a.Tasks.Count(t => t.Value == TaskState.TASK_RUNNING));

    /// <summary>Launches <paramref name="count"/> tasks of 0.5 cpus over the offers that come, one per offer; returns their ids.</summary>
    private static async Task<IReadOnlyList<string>> LaunchAsync(RawFramework framework, string prefix, int count)
    {
        var ids = new List<string>();
        while (ids.Count < count)
        {
            var offer = await framework.NextOfferAsync(TimeSpan.FromSeconds(30), minCpus: 0.5);
            var id = $"{prefix}-{ids.Count}";
            await framework.LaunchAsync(offer, [(id, RawFramework.Scalars(0.5, 64))], refuseSeconds: 0);
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>Launches one task of 0.5 cpus and 64 MB on every offer that fits one (the rest of the offer goes back), declines the others.</summary>
    private static async Task OneTaskPerOfferAsync(RawFramework framework, string prefix, CancellationToken stop)
    {
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            foreach (var offer in framework.Offers.Values.ToArray())
            {
                if (RawFramework.Scalar(offer, "cpus") >= 0.5 && RawFramework.Scalar(offer, "mem") >= 64)
                {
                    await framework.LaunchAsync(offer, [($"{prefix}-{n++}", RawFramework.Scalars(0.5, 64))], refuseSeconds: 0);
                }
                else
                {
                    await framework.DeclineAsync(offer["id"]!["value"]!.GetValue<string>(), 0);
                }
            }

            await Task.Delay(10, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Launches as many random tasks (cpus, mem, ports) as fit each offer, declines some offers, kills some tasks.</summary>
    private static async Task RandomFrameworkAsync(RawFramework framework, string prefix, Random random, CancellationToken stop)
    {
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            foreach (var offer in framework.Offers.Values.ToArray())
            {
                var offerId = offer["id"]!["value"]!.GetValue<string>();
                if (random.Next(5) == 0)
                {
                    await framework.DeclineAsync(offerId, random.NextDouble() * 0.3);
                    continue;
                }

                var cpus = RawFramework.Scalar(offer, "cpus");
                var mem = RawFramework.Scalar(offer, "mem");
                var ports = offer["resources"]!.AsArray().Where(r => r!["name"]!.GetValue<string>() == "ports")
                    .SelectMany(r => r!["ranges"]!["range"]!.AsArray().SelectMany(x => Range(x!["begin"]!.GetValue<ulong>(), x["end"]!.GetValue<ulong>()))).ToList();
                var tasks = new List<(string, JsonArray)>();
                while (true)
                {
                    var c = Math.Round(0.1 + random.NextDouble() * 0.9, 1);
                    var m = 32 + random.Next(480);
                    var p = random.Next(3);
                    if (c > cpus || m > mem || p > ports.Count)
                    {
                        break;
                    }

                    cpus -= c;
                    mem -= m;
                    var resources = RawFramework.Scalars(c, m);
                    if (p > 0)
                    {
                        var taken = ports.Take(p).ToArray();
                        ports.RemoveRange(0, p);
                        resources.Add(new JsonObject
                        {
                            ["name"] = "ports",
                            ["type"] = "RANGES",
                            ["ranges"] = new JsonObject { ["range"] = new JsonArray(taken.Select(x => (JsonNode)new JsonObject { ["begin"] = x, ["end"] = x }).ToArray()) },
                        });
                    }

                    tasks.Add(($"{prefix}-{n++}", resources));
                }

                await framework.LaunchAsync(offer, tasks, refuseSeconds: 0);
            }

            var running = framework.TaskStates.Where(t => t.Value == "TASK_RUNNING").Select(t => t.Key).ToArray();
            if (running.Length > 0 && random.Next(4) == 0)
            {
                await framework.CallOkAsync("KILL", new JsonObject { ["task_id"] = new JsonObject { ["value"] = running[random.Next(running.Length)] } });
            }

            await Task.Delay(10, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static IEnumerable<ulong> Range(ulong begin, ulong end)
    {
        for (var p = begin; p <= end; p++)
        {
            yield return p;
        }
    }
}

using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Mesos;
using OrleansDcos.Tests.Integration.Master;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using OrleansDcos.Tests.Support.Master;
using Xunit;

namespace OrleansDcos.Tests.Integration.Marathon;

/// <summary>Marathon on a 3-silo cluster with simulated agents: a silo dies in the middle of a rolling restart.</summary>
[Trait("Area", "Marathon")]
[Collection(ClusterCollection.Name)]
public sealed class MarathonFailoverTests
{
    private const string AppId = "/ha/web";
    private const string TaskPrefix = "ha_web.";

    [RequiresFact(Component.Postgres)]
    public async Task A_silo_killed_mid_deployment_the_deployment_finishes_and_the_capacity_bounds_are_never_broken()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync(silos: 3, marathon: true);
        var agents = await StartedInAsync(master, 6);

        MarathonApi Api() => new(master.Cluster.Gateways[0]);
        var app = new JsonObject
        {
            ["id"] = AppId,
            ["cmd"] = "serve",
            ["cpus"] = 0.5,
            ["mem"] = 64,
            ["instances"] = 12,
            ["upgradeStrategy"] = new JsonObject { ["minimumHealthCapacity"] = 0.5, ["maximumOverCapacity"] = 0.5 },
        };
        using (var api = Api())
        {
            var created = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", app);
            await api.WaitForDeploymentAsync(created!["deployments"]![0]!["id"]!.GetValue<string>());
        }

        Assert.Equal(12, Running(agents).Count);
        var before = Running(agents).ToHashSet();

        // Watch the agents (the ground truth) through the whole restart: never more than ceil(12 × 1.5) = 18 live,
        // never fewer than ceil(12 × 0.5) = 6 running, never one task id on two agents.
        using var stopWatching = new CancellationTokenSource();
        int maxLive = 0, minRunning = int.MaxValue, checks = 0;
        var duplicates = new List<string>();
        var watcher = Task.Run(async () =>
        {
            while (!stopWatching.IsCancellationRequested)
            {
                var live = agents.SelectMany(a => a.Tasks.Where(t => t.Key.StartsWith(TaskPrefix, StringComparison.Ordinal) && !t.Value.IsTerminal())).ToList();
                maxLive = Math.Max(maxLive, live.Count);
                minRunning = Math.Min(minRunning, live.Count(t => t.Value == TaskState.TASK_RUNNING));
                duplicates.AddRange(live.GroupBy(t => t.Key).Where(g => g.Count() > 1).Select(g => g.Key));
                checks++;
                await Task.Delay(10);
            }
        });

        string deploymentId;
        using (var api = Api())
        {
            var change = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/v2/apps{AppId}", new JsonObject { ["env"] = new JsonObject { ["RELEASE"] = "2" } });
            deploymentId = change!["deploymentId"]!.GetValue<string>();
        }

        // Once the restart is under way, the silo that hosts the app's grain dies.
        await Poll.UntilAsync(() => Task.FromResult(Running(agents).Except(before).Count() >= 3), TimeSpan.FromSeconds(30), "the restart is under way");
        var victim = await master.SiloOfAsync(master.Grains.GetGrain<IAppGrain>(AppId)) ?? master.Cluster.RunningSilos[1];
        await master.Cluster.KillSiloAsync(victim);
        await master.Cluster.WaitForLivenessToStabilizeAsync();

        using (var api = Api())
        {
            await Poll.UntilAsync(async () =>
            {
                try
                {
                    return (await api.DeploymentsAsync()).All(d => d!["id"]!.GetValue<string>() != deploymentId);
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(90), () => $"the deployment finished after the failover; on agents: {Running(agents).Count} running; {Describe(master)}");
            await Poll.UntilAsync(() => Task.FromResult(Running(agents).Count == 12 && !Running(agents).Intersect(before).Any()),
                TimeSpan.FromSeconds(30), () => $"12 new tasks run (running {Running(agents).Count}, old {Running(agents).Intersect(before).Count()})");
            var tasks = await api.TasksAsync(AppId);
            Assert.Equal(Running(agents).Order(), MarathonApi.Ids(tasks).Order());
        }

        await stopWatching.CancelAsync();
        await watcher;
        Assert.True(checks > 20);
        Assert.Empty(duplicates);
        Assert.True(maxLive <= 18, $"{maxLive} tasks were live at once (limit 18)");
        Assert.True(minRunning >= 6, $"only {minRunning} task(s) ran at one point (minimum 6)");
        Assert.All(agents, a => Assert.Empty(a.Violations));
    }

    [RequiresFact(Component.Postgres)]
    public async Task Silos_killed_2_s_into_rolling_restarts_again_and_again_never_leave_a_deployment_stuck_or_without_a_reason()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync(silos: 3, marathon: true);
        var agents = await StartedInAsync(master, 4);

        var app = new JsonObject
        {
            ["id"] = AppId,
            ["cmd"] = "serve",
            ["cpus"] = 0.5,
            ["mem"] = 64,
            ["instances"] = 4,
            ["upgradeStrategy"] = new JsonObject { ["minimumHealthCapacity"] = 0.5, ["maximumOverCapacity"] = 0 },
        };
        using (var api = new MarathonApi(master.Cluster.Gateways[0]))
        {
            var created = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", app);
            await api.WaitForDeploymentAsync(created!["deployments"]![0]!["id"]!.GetValue<string>());
        }

        var withoutReason = new List<string>();
        for (var round = 1; round <= 3; round++)
        {
            var before = Running(agents).ToHashSet();
            // While the last round's dead silo is being declared dead a change may meet it: 503, and the client asks again.
            var deploymentId = await PollValue.UntilAsync(async () =>
            {
                using var api = new MarathonApi(master.Cluster.Gateways[0]);
                var (status, body, _) = await api.SendAsync(HttpMethod.Patch, $"/v2/apps{AppId}", new JsonObject { ["env"] = new JsonObject { ["ROUND"] = $"{round}" } });
                return status switch
                {
                    HttpStatusCode.ServiceUnavailable => null,
                    HttpStatusCode.OK => body!["deploymentId"]!.GetValue<string>(),

                    // An attempt that was answered 503 went through after all: its deployment holds the app.
                    HttpStatusCode.Conflict => (await api.DeploymentsAsync()).Single()!["id"]!.GetValue<string>(),
                    _ => throw new InvalidOperationException($"PATCH answered {(int)status}: {body?.ToJsonString()}"),
                };
            }, TimeSpan.FromSeconds(30), $"round {round}: the change accepted");

            // Two seconds in (old tasks killed, replacements launching), the silo of the app's grain dies (each round
            // a different one, as the grain moves) and is started again on its address, as an operator would (the
            // agents know the silos by address: a silo on a new address would leave them no gateway after a few rounds).
            var inFlight = System.Diagnostics.Stopwatch.StartNew();
            await Poll.UntilAsync(() => Task.FromResult(inFlight.Elapsed >= TimeSpan.FromSeconds(2)), TimeSpan.FromSeconds(5), "two seconds into the restart");
            var victim = await master.SiloOfAsync(master.Grains.GetGrain<IAppGrain>(AppId))
                ?? master.Cluster.RunningSilos[round % master.Cluster.RunningSilos.Count];
            await master.Cluster.KillSiloAsync(victim);
            await master.Cluster.RestartSiloAsync(victim);

            // Until it finishes, every look at it says why it is not done yet.
            await Poll.UntilAsync(async () =>
            {
                try
                {
                    using var api = new MarathonApi(master.Cluster.Gateways[^1]);
                    var deployment = (await api.DeploymentsAsync()).FirstOrDefault(d => d!["id"]!.GetValue<string>() == deploymentId);
                    if (deployment is null)
                    {
                        return true;
                    }

                    withoutReason.AddRange(deployment["currentActions"]!.AsArray().Where(a => a!["blockedBy"] is null).Select(a => $"round {round}: {a!.ToJsonString()}"));
                    return false;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60), () => $"round {round}: the deployment finished after the silo died; {Describe(master)}");
            await Poll.UntilAsync(() => Task.FromResult(Running(agents).Count == 4 && !Running(agents).Intersect(before).Any()),
                TimeSpan.FromSeconds(30), () => $"round {round}: 4 new tasks run (running {Running(agents).Count}, old {Running(agents).Intersect(before).Count()})");
        }

        Assert.Empty(withoutReason);
        Assert.All(agents, a => Assert.Empty(a.Violations));
    }

    /// <summary><paramref name="count"/> simulated agents whose tasks run 300 ms after launch, until killed.</summary>
    private static async Task<IReadOnlyList<SimulatedAgent>> StartedInAsync(MasterCluster master, int count)
    {
        var agents = await master.AddAgentsAsync(count);
        foreach (var agent in agents)
        {
            agent.Behaviour = _ => new SimulatedOutcome(TimeSpan.FromMilliseconds(300), RunFor: null);
        }

        return agents;
    }

    /// <summary>Marathon's view, for a failure message.</summary>
    private static string Describe(MasterCluster master)
    {
        using var http = new HttpClient { BaseAddress = master.Cluster.Gateways[0] };
        string Get(string path)
        {
            try
            {
                return http.GetStringAsync(path).GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                return ex.Message;
            }
        }

        return $"deployments: {Get("/v2/deployments")}; queue: {Get("/v2/queue")}; tasks: {Get($"/v2/apps{AppId}/tasks")}";
    }

    private static List<string> Running(IEnumerable<SimulatedAgent> agents) => SimulatedAgent.RunningOf(agents, TaskPrefix);
}

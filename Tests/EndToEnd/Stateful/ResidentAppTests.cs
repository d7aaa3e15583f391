using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Stateful;

/// <summary>
/// Marathon's resident apps on two silo processes (PostgreSQL) and two node daemons: an instance keeps its persistent
/// volume — and its agent — across a kill, a daemon restart and a silo failover; deleting the app destroys the volume
/// and gives the reservation back.
/// </summary>
[Trait("Area", "Stateful")]
[Collection(Components.ClusterCollection.Name)]
public sealed class ResidentAppTests
{
    private const string AppId = "/stateful/counter";
    private const string Resources = "cpus:1;mem:256;disk:200;ports:[32300-32309]";

    /// <summary>Each run adds one to <c>data/counter</c> in its volume, then sleeps.</summary>
    private static JsonObject App() => new()
    {
        ["id"] = AppId,
        ["cmd"] = "n=$(cat data/counter 2>/dev/null || echo 0); n=$((n+1)); echo $n > data/counter; echo run $n; exec sleep 600",
        ["cpus"] = 0.1,
        ["mem"] = 32,
        ["instances"] = 1,
        ["container"] = new JsonObject
        {
            ["type"] = "MESOS",
            ["volumes"] = new JsonArray(new JsonObject
            {
                ["containerPath"] = "data",
                ["mode"] = "RW",
                ["persistent"] = new JsonObject { ["type"] = "root", ["size"] = 10 },
            }),
        },
    };

    [RequiresFact(Component.Postgres)]
    public async Task A_resident_instance_keeps_its_volume_and_agent_through_a_kill_a_daemon_restart_and_a_silo_failover_and_loses_it_on_delete()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var schema = await PostgresSchema.CreateAsync();
        using var workA = new TempDirectory();
        using var workB = new TempDirectory();
        var silos = new List<SiloProcess>();
        var daemons = new List<DaemonProcess>();
        try
        {
            foreach (var host in new[] { "127.0.0.2", "127.0.0.3" })
            {
                silos.Add(await SiloProcess.StartClusterMemberAsync(host, schema.ConnectionString, "e2e-stateful", "--Master:AgentDisconnectedTimeout=00:00:30"));
            }

            string[] gateways = [$"--Daemon:Gateways:1={silos[1].BaseAddress}"];
            daemons.Add(await DaemonProcess.StartAsync(silos[0].BaseAddress, workA.Path, Resources, gateways));
            daemons.Add(await DaemonProcess.StartAsync(silos[0].BaseAddress, workB.Path, Resources, gateways));
            var api = new MarathonApi(silos[1].BaseAddress, () => Diagnostics(silos, daemons));
            await api.WaitForAgentsAsync(2);
            await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", App());

            var (agent, first) = await RunningAsync(api, null);
            var work = VolumeRoot(agent, workA, workB, api);
            await WaitForCounterAsync(work, 1, api);
            var app = (await api.AppAsync(AppId))!;
            Assert.Equal(0.5, app["upgradeStrategy"]!["minimumHealthCapacity"]!.GetValue<double>());
            Assert.Equal(0, app["upgradeStrategy"]!["maximumOverCapacity"]!.GetValue<double>());
            Assert.Equal("marathon", (await ReservedRolesAsync(api, agent)).Single());

            // A killed instance comes back on its agent, with its volume.
            await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/apps{AppId}/tasks/{first}");
            var (again, second) = await RunningAsync(api, first);
            Assert.Equal(agent, again);
            await WaitForCounterAsync(work, 2, api);

            // The daemon dies and comes back: the volume is still there and the next incarnation uses it.
            var index = work.StartsWith(workA.Path, StringComparison.Ordinal) ? 0 : 1;
            await daemons[index].KillHardAsync();
            daemons[index] = await DaemonProcess.StartAsync(silos[0].BaseAddress, index == 0 ? workA.Path : workB.Path, Resources, gateways);
            await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/apps{AppId}/tasks/{second}");
            var (third, thirdTask) = await RunningAsync(api, second);
            Assert.Equal(agent, third);
            await WaitForCounterAsync(work, 3, api);

            // A silo dies (SIGKILL): the reservation and the app's record of it live in PostgreSQL.
            await silos[0].DisposeAsync();
            silos.RemoveAt(0);
            await api.ExpectThroughFailoverAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/apps{AppId}/tasks/{thirdTask}");
            var (fourth, _) = await RunningAsync(api, thirdTask, TimeSpan.FromSeconds(90));
            Assert.Equal(agent, fourth);
            await WaitForCounterAsync(work, 4, api);

            // Scaled to none: the reservation and the volume wait; scaled up again, the instance takes them back.
            var (_, lastTask) = await RunningAsync(api, null);
            await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/v2/apps{AppId}", new JsonObject { ["instances"] = 0 });
            await Poll.UntilAsync(async () => (await api.TasksAsync(AppId)).Count == 0, TimeSpan.FromSeconds(30), () => $"no task of {AppId}{api.Diagnostics()}");
            Assert.Equal("marathon", (await ReservedRolesAsync(api, agent)).Single());
            Assert.True(Directory.Exists(work));
            await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/v2/apps{AppId}", new JsonObject { ["instances"] = 1 });
            var (fifth, _) = await RunningAsync(api, lastTask);
            Assert.Equal(agent, fifth);
            await WaitForCounterAsync(work, 5, api);

            // Its resources are reserved: a change of them is refused.
            var bigger = App();
            bigger["cpus"] = 0.2;
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.SendAsync(HttpMethod.Put, $"/v2/apps{AppId}", bigger)).Status);

            // Deleted: the task goes, then the volume and the reservation.
            await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/apps{AppId}");
            await Poll.UntilAsync(async () => !Directory.Exists(work) && (await ReservedRolesAsync(api, agent)).Count == 0, TimeSpan.FromSeconds(60),
                () => $"the volume {work} destroyed and the reservation given back{api.Diagnostics()}");
        }
        finally
        {
            foreach (var daemon in daemons)
            {
                await daemon.DisposeAsync();
            }

            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_resident_instance_unreachable_past_its_expunge_time_gets_a_new_reservation_elsewhere_and_disabled_waits()
    {
        await using var silo = await SiloProcess.StartAsync("--Silo:EmbeddedAgent=false", "--Master:AgentUnreachableTimeout=00:00:03");
        using var workA = new TempDirectory();
        using var workB = new TempDirectory();
        await using var a = await DaemonProcess.StartAsync(silo.BaseAddress, workA.Path, Resources, "--Daemon:Hostname=host-a");
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(60));
        await api.WaitForAgentsAsync();
        var moving = App();
        moving["id"] = "/stateful/moving";
        moving["unreachableStrategy"] = new JsonObject { ["inactiveAfterSeconds"] = 1, ["expungeAfterSeconds"] = 1 };
        var waiting = App();
        waiting["id"] = "/stateful/waiting";
        waiting["unreachableStrategy"] = "disabled";
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", moving);
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", waiting);
        await api.WaitForTasksAsync("/stateful/moving", 1);
        await api.WaitForTasksAsync("/stateful/waiting", 1);
        await using var b = await DaemonProcess.StartAsync(silo.BaseAddress, workB.Path, Resources, "--Daemon:Hostname=host-b");
        await api.WaitForAgentsAsync(2);

        await a.KillHardAsync(); // the agent goes away for good
        await Poll.UntilAsync(async () =>
        {
            var tasks = await api.TasksAsync("/stateful/moving");
            return tasks.Any(t => t!["host"]!.GetValue<string>() == "host-b" && t["state"]!.GetValue<string>() == "TASK_RUNNING");
        }, TimeSpan.FromSeconds(60), () => $"the moving app's instance anew on host-b{api.Diagnostics()}");
        Assert.True(Directory.GetDirectories(Path.Combine(workB.Path, "volumes", "roles", "marathon")).Single().Contains("stateful.moving#data#", StringComparison.Ordinal));

        // The app whose strategy is disabled waits for its agent: nothing runs, nothing new is reserved.
        var waitingTasks = await api.TasksAsync("/stateful/waiting");
        Assert.All(waitingTasks, t => Assert.Equal("host-a", t!["host"]!.GetValue<string>()));
        Assert.DoesNotContain(Directory.GetDirectories(Path.Combine(workB.Path, "volumes", "roles", "marathon")), d => d.Contains("stateful.waiting", StringComparison.Ordinal));
    }

    /// <summary>The app's one running task other than <paramref name="previous"/>: its agent and id.</summary>
    private static async Task<(string Agent, string TaskId)> RunningAsync(MarathonApi api, string? previous, TimeSpan? timeout = null)
    {
        var found = await PollValue.UntilAsync(async () =>
        {
            var tasks = await api.TasksAsync(AppId);
            return tasks.Count == 1 && tasks[0]!["state"]?.GetValue<string>() == "TASK_RUNNING" && tasks[0]!["id"]!.GetValue<string>() != previous ? tasks[0] : null;
        }, timeout ?? TimeSpan.FromSeconds(60), () => $"a new running task of {AppId}{api.Diagnostics()}");
        return (found!["slaveId"]!.GetValue<string>(), found["id"]!.GetValue<string>());
    }

    /// <summary>The one volume directory of the app on whichever daemon holds it.</summary>
    private static string VolumeRoot(string agent, TempDirectory a, TempDirectory b, MarathonApi api)
    {
        var volumes = new[] { a, b }.Select(w => Path.Combine(w.Path, "volumes", "roles", "marathon")).Where(Directory.Exists)
            .SelectMany(Directory.GetDirectories).ToList();
        Assert.True(volumes.Count == 1, $"one volume on agent {agent}, found [{string.Join(", ", volumes)}]{api.Diagnostics()}");
        Assert.Contains("stateful.counter#data#", volumes[0], StringComparison.Ordinal);
        return volumes[0];
    }

    private static Task WaitForCounterAsync(string volume, int expected, MarathonApi api) =>
        Poll.UntilAsync(() => Task.FromResult(File.Exists(Path.Combine(volume, "counter")) && File.ReadAllText(Path.Combine(volume, "counter")).Trim() == expected.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(30), () => $"counter {expected} in {volume} (is '{(File.Exists(Path.Combine(volume, "counter")) ? File.ReadAllText(Path.Combine(volume, "counter")).Trim() : "none")}'){api.Diagnostics()}");

    /// <summary>The roles with reservations on <paramref name="agent"/>, as <c>/master/slaves</c> shows them.</summary>
    private static async Task<IReadOnlyList<string>> ReservedRolesAsync(MarathonApi api, string agent)
    {
        var slaves = JsonNode.Parse(await api.Http.GetStringAsync("/master/slaves"))!["slaves"]!.AsArray();
        var slave = slaves.Single(s => s!["id"]!.GetValue<string>() == agent)!;
        return [.. slave["reserved_resources_full"]!.AsObject().Select(r => r.Key)];
    }

    private static string Diagnostics(IEnumerable<SiloProcess> silos, IEnumerable<DaemonProcess> daemons) =>
        string.Join(Environment.NewLine, silos.Select(s => $"silo {s.BaseAddress}:{Environment.NewLine}{s.OutputTail(30)}")
            .Concat(daemons.Select(d => $"daemon:{Environment.NewLine}{string.Join(Environment.NewLine, d.Output.TakeLast(20))}")));
}

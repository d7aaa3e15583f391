using System.Text.Json.Nodes;
using OrleansDcos.Client;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Master;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Agent;

/// <summary>Real tasks through the whole stack: a framework on the scheduler API, the master, a node daemon, real processes.</summary>
[Trait("Area", "Agent")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DaemonTests
{
    [Fact]
    public async Task The_embedded_silo_runs_a_busybox_httpd_task_that_turns_healthy_serves_its_port_shows_its_logs_and_is_killed()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        await Poll.UntilAsync(async () => JsonNode.Parse(await http.GetStringAsync("/master/slaves"))!["slaves"]!.AsArray().Count == 1,
            TimeSpan.FromSeconds(30), "the embedded agent registered");

        await using var framework = new RawFramework(silo.BaseAddress);
        await framework.SubscribeAsync("web");
        var offer = await framework.NextOfferAsync();
        var port = RawFramework.FirstPort(offer);
        await framework.LaunchTasksAsync(offer, [new JsonObject
        {
            ["name"] = "httpd",
            ["task_id"] = new JsonObject { ["value"] = "httpd-1" },
            ["resources"] = RawFramework.ScalarsAndPort(0.2, 64, port),
            ["command"] = new JsonObject { ["value"] = "echo serving on $PORT0; echo hello > index.html; exec /bin/busybox httpd -f -p 127.0.0.1:$PORT0 -h ." },
            ["health_check"] = new JsonObject
            {
                ["type"] = "HTTP",
                ["http"] = new JsonObject { ["port"] = port, ["path"] = "/index.html" },
                ["grace_period_seconds"] = 10, ["interval_seconds"] = 0.5, ["timeout_seconds"] = 1, ["consecutive_failures"] = 3, ["delay_seconds"] = 0,
            },
        }]);

        await framework.WaitForStateAsync("httpd-1", "TASK_RUNNING");
        await Poll.UntilAsync(() => Task.FromResult(framework.Updates("httpd-1").Any(u => u["update"]!["status"]!["healthy"]?.GetValue<bool>() == true)),
            TimeSpan.FromSeconds(20), () => $"the task reported healthy (its updates: {string.Join(" | ", framework.Updates("httpd-1").Select(u => u["update"]!["status"]!.ToJsonString()))}){Environment.NewLine}{silo.OutputTail(60)}");
        using var web = new HttpClient();
        Assert.Equal("hello\n", await web.GetStringAsync($"http://127.0.0.1:{port}/index.html"));

        var client = new DcosClient(http);
        var logs = await client.ReadTaskLogAsync("httpd-1");
        Assert.Equal($"serving on {port}\n", logs.Data);
        using (var follow = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await foreach (var text in client.FollowTaskLogAsync("httpd-1", "stdout", TimeSpan.FromMilliseconds(100), follow.Token))
            {
                Assert.Equal($"serving on {port}\n", text);
                break;
            }
        }

        var missing = await Assert.ThrowsAsync<DcosApiException>(() => client.ReadTaskLogAsync("no-such-task"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.Status);

        await framework.CallOkAsync("KILL", new JsonObject { ["task_id"] = new JsonObject { ["value"] = "httpd-1" } });
        await framework.WaitForStateAsync("httpd-1", "TASK_KILLED");
        await Assert.ThrowsAsync<HttpRequestException>(() => web.GetStringAsync($"http://127.0.0.1:{port}/index.html"));
    }

    [RequiresFact(Component.Cgroups)]
    public async Task A_task_over_its_memory_limit_is_reported_FAILED_with_the_memory_reason()
    {
        TestEnvironment.Require(Component.Cgroups);
        await using var silo = await SiloProcess.StartAsync();
        await using var framework = new RawFramework(silo.BaseAddress);
        await framework.SubscribeAsync("hungry");
        await framework.LaunchTasksAsync(await FirstOfferAsync(framework, silo), [new JsonObject
        {
            ["name"] = "hog",
            ["task_id"] = new JsonObject { ["value"] = "hog" },
            ["resources"] = RawFramework.Scalars(0.1, 16),
            ["command"] = new JsonObject { ["value"] = "head -c 200m /dev/zero | tail" },
        }]);

        await framework.WaitForStateAsync("hog", "TASK_FAILED", TimeSpan.FromSeconds(30));
        var status = framework.Updates("hog").Last()["update"]!["status"]!;
        Assert.Equal("REASON_CONTAINER_LIMITATION_MEMORY", status["reason"]!.GetValue<string>());
        Assert.Contains("memory limit", status["message"]!.GetValue<string>());
    }

    [RequiresFact(Component.Docker)]
    public async Task A_busybox_httpd_in_a_Docker_container_serves_its_port_on_the_host_network_and_its_health_follows_the_server()
    {
        TestEnvironment.Require(Component.Docker);
        await using var silo = await SiloProcess.StartAsync();
        await using var framework = new RawFramework(silo.BaseAddress);
        await framework.SubscribeAsync("docker-web");
        var offer = await FirstOfferAsync(framework, silo);
        var port = RawFramework.FirstPort(offer);
        const string Sandbox = "/mnt/mesos/sandbox";
        await framework.LaunchTasksAsync(offer, [new JsonObject
        {
            ["name"] = "web",
            ["task_id"] = new JsonObject { ["value"] = "docker-web-1" },
            ["resources"] = RawFramework.ScalarsAndPort(0.2, 64, port),
            ["container"] = new JsonObject
            {
                ["type"] = "DOCKER",
                ["docker"] = new JsonObject { ["image"] = "local/busybox:1", ["network"] = "HOST" },
            },
            // The server runs until a file named "stop" appears in the (mounted) sandbox; the container lives on.
            ["command"] = new JsonObject { ["value"] = $"echo hello > {Sandbox}/index.html; httpd -f -p 127.0.0.1:$PORT0 -h {Sandbox} & pid=$!; echo up; while [ ! -e {Sandbox}/stop ]; do sleep 0.2; done; kill $pid; exec sleep 600" },
            ["health_check"] = new JsonObject
            {
                ["type"] = "HTTP",
                ["http"] = new JsonObject { ["port"] = port, ["path"] = "/index.html" },
                ["grace_period_seconds"] = 10, ["interval_seconds"] = 0.5, ["timeout_seconds"] = 1, ["consecutive_failures"] = 100, ["delay_seconds"] = 0,
            },
        }]);

        await framework.WaitForStateAsync("docker-web-1", "TASK_RUNNING", TimeSpan.FromSeconds(30));
        bool Healthy(bool value) => framework.Updates("docker-web-1").Any(u => u["update"]!["status"]!["healthy"]?.GetValue<bool>() == value);
        await Poll.UntilAsync(() => Task.FromResult(Healthy(true)), TimeSpan.FromSeconds(20), "the container reported healthy");
        using var web = new HttpClient();
        Assert.Equal("hello\n", await web.GetStringAsync($"http://127.0.0.1:{port}/index.html"));

        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        await Poll.UntilAsync(async () => (await new DcosClient(http).ReadTaskLogAsync("docker-web-1")).Data.Contains("up", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the container's stdout in the sandbox");

        await File.WriteAllTextAsync(Path.Combine(silo.DataDirectory, "agent", "sandboxes", "docker-web-1", "stop"), "");
        await Poll.UntilAsync(() => Task.FromResult(Healthy(false)), TimeSpan.FromSeconds(20), "the container reported unhealthy once its server stopped");

        await framework.CallOkAsync("KILL", new JsonObject { ["task_id"] = new JsonObject { ["value"] = "docker-web-1" }, ["kill_policy"] = new JsonObject { ["grace_period"] = new JsonObject { ["nanoseconds"] = 1_000_000_000 } } });
        await framework.WaitForStateAsync("docker-web-1", "TASK_KILLED", TimeSpan.FromSeconds(30));
    }

    [RequiresFact(Component.Docker)]
    public async Task A_Docker_task_whose_image_is_missing_fails_with_a_clear_reason_and_nothing_is_pulled_unless_asked()
    {
        TestEnvironment.Require(Component.Docker);
        await using var silo = await SiloProcess.StartAsync();
        await using var framework = new RawFramework(silo.BaseAddress);
        await framework.SubscribeAsync("docker-missing");
        var offer = await FirstOfferAsync(framework, silo);
        JsonObject Task(string id, string image, bool pull) => new()
        {
            ["name"] = id,
            ["task_id"] = new JsonObject { ["value"] = id },
            ["resources"] = RawFramework.Scalars(0.1, 32),
            ["container"] = new JsonObject { ["type"] = "DOCKER", ["docker"] = new JsonObject { ["image"] = image, ["network"] = "HOST", ["force_pull_image"] = pull } },
        };

        // A registry on a loopback port nobody listens on: the pull fails at once, and no traffic leaves the machine.
        await framework.LaunchTasksAsync(offer, [Task("missing", "local/not-there:1", pull: false), Task("pull", "127.0.0.1:1/nothing:1", pull: true)]);
        await framework.WaitForStateAsync("missing", "TASK_FAILED", TimeSpan.FromSeconds(30));
        await framework.WaitForStateAsync("pull", "TASK_FAILED", TimeSpan.FromSeconds(60));
        Assert.Contains("not on this agent", framework.Updates("missing").Last()["update"]!["status"]!["message"]!.GetValue<string>());
        Assert.Contains("pull", framework.Updates("pull").Last()["update"]!["status"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_daemon_killed_with_SIGKILL_re_adopts_its_tasks_on_restart_without_duplicates_or_lost_updates()
    {
        // The daemon is back within its re-registration window: the test waits ~4 s for the short task to end while it
        // is down, and a loaded machine takes seconds more to start it, past the default 5 s after which a
        // disconnected agent is UNREACHABLE (its tasks LOST to a framework that is not partition-aware — tested apart).
        await using var cluster = await RestartableDaemon.StartAsync("32100-32199", "survivor");
        var (silo, work, framework) = (cluster.Silo, cluster.Work, cluster.Framework);
        var offer = await framework.NextOfferAsync();
        await framework.LaunchTasksAsync(offer, [TaskInfo("long", "exec sleep 1000"), TaskInfo("short", "sleep 4")]);
        await framework.WaitForStateAsync("long", "TASK_RUNNING");
        await framework.WaitForStateAsync("short", "TASK_RUNNING");
        var longPid = PidOf(work.Path, "long");

        await cluster.Daemon.KillHardAsync();
        Assert.True(ProcessAlive(longPid), "the task must survive its daemon");

        // While the daemon is away the short task ends; the restarted daemon must know and say so.
        await Poll.UntilAsync(() => Task.FromResult(SleepDone(work.Path)), TimeSpan.FromSeconds(15), "the short task ended while the daemon was down");
        var restarted = await cluster.RestartAsync();

        await framework.WaitForStateAsync("short", "TASK_FINISHED", TimeSpan.FromSeconds(30));
        Assert.Equal(longPid, PidOf(work.Path, "long"));
        Assert.True(ProcessAlive(longPid));
        Assert.True(States(framework, "short").SequenceEqual(["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"]),
            $"short went {string.Join(", ", States(framework, "short"))}: {string.Join(" | ", framework.Updates("short").Select(u => u.ToJsonString()))}"
            + $"{Environment.NewLine}restarted daemon:{Environment.NewLine}{string.Join(Environment.NewLine, restarted.Output.TakeLast(40))}"
            + $"{Environment.NewLine}silo:{Environment.NewLine}{silo.OutputTail(60)}");
        Assert.Equal(["TASK_STARTING", "TASK_RUNNING"], States(framework, "long"));

        // The master still sees one copy of each running task.
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        var tasks = JsonNode.Parse(await http.GetStringAsync("/master/tasks"))!["tasks"]!.AsArray();
        Assert.Single(tasks, t => t!["id"]!.GetValue<string>() == "long" && t["state"]!.GetValue<string>() == "TASK_RUNNING");

        await framework.CallOkAsync("TEARDOWN");
        await Poll.UntilAsync(() => Task.FromResult(!ProcessAlive(longPid) && Ended(work.Path, "long")), TimeSpan.FromSeconds(20), "the long task killed at teardown");
    }

    [Fact]
    public async Task A_restarted_daemon_goes_on_health_checking_its_recovered_tasks_with_their_environment()
    {
        // Found by the chaos soak: a daemon that restarted never checked its recovered tasks again, so a task not yet
        // healthy when its daemon died stayed so (and held its Marathon deployment forever). The check here passes only
        // once a file appears in the task's sandbox, named through $MESOS_SANDBOX, and the file is made while the
        // daemon is down: only the restarted daemon's checks, run with the task's environment, can see it.
        await using var cluster = await RestartableDaemon.StartAsync("32200-32299", "checked-survivor");
        var (work, framework) = (cluster.Work, cluster.Framework);
        var offer = await framework.NextOfferAsync();
        var task = TaskInfo("checked", "exec sleep 1000");
        task["health_check"] = new JsonObject
        {
            ["type"] = "COMMAND",
            ["command"] = new JsonObject { ["value"] = "test -f \"$MESOS_SANDBOX/ready\"" },
            ["delay_seconds"] = 0,
            ["interval_seconds"] = 1,
            ["grace_period_seconds"] = 600, // failures before the first success do not count: the task is never killed here
        };
        await framework.LaunchTasksAsync(offer, [task]);
        await framework.WaitForStateAsync("checked", "TASK_RUNNING");
        var pid = PidOf(work.Path, "checked");

        await cluster.Daemon.KillHardAsync();
        Assert.DoesNotContain(framework.Updates("checked"), u => u["update"]!["status"]!["healthy"]?.GetValue<bool>() == true);
        await File.WriteAllTextAsync(Path.Combine(work.Path, "sandboxes", "checked", "ready"), "");
        var restarted = await cluster.RestartAsync();

        await Poll.UntilAsync(() => Task.FromResult(framework.Updates("checked").Any(u => u["update"]!["status"]!["healthy"]?.GetValue<bool>() == true)),
            TimeSpan.FromSeconds(30), () => $"the recovered task reported healthy (its updates: {string.Join(" | ", framework.Updates("checked").Select(u => u["update"]!["status"]!.ToJsonString()))})"
                + $"{Environment.NewLine}restarted daemon:{Environment.NewLine}{string.Join(Environment.NewLine, restarted.Output.TakeLast(40))}");
        Assert.Equal(pid, PidOf(work.Path, "checked"));

        await framework.CallOkAsync("TEARDOWN");
        await Poll.UntilAsync(() => Task.FromResult(!ProcessAlive(pid) && Ended(work.Path, "checked")), TimeSpan.FromSeconds(20), "the task killed at teardown");
    }

    [Fact]
    public Task A_process_task_whose_launch_its_daemon_died_before_recording_is_found_again_by_its_container_id_and_runs_on() =>
        UnrecordedLaunchRunsOnAsync(docker: false);

    [RequiresFact(Component.Docker)]
    public Task A_Docker_task_whose_launch_its_daemon_died_before_recording_is_found_again_by_its_container_name_and_runs_on() =>
        UnrecordedLaunchRunsOnAsync(docker: true);

    private static async Task UnrecordedLaunchRunsOnAsync(bool docker)
    {
        // The daemon records a container's id before the launch and the container after; one that dies in between finds
        // the container again by that id (a cgroup, or a Docker container's name). That container must then also be
        // spared by the orphan sweep of the same restart — which once went by the records as read, before recovery,
        // and so killed the very task just found. Simulated as the chaos soak met it: the record's container taken out.
        if (docker)
        {
            TestEnvironment.Require(Component.Docker);
        }

        await using var cluster = await RestartableDaemon.StartAsync(docker ? "32400-32499" : "32300-32399", "unrecorded");
        var (work, framework) = (cluster.Work.Path, cluster.Framework);
        var offer = await framework.NextOfferAsync();
        var task = TaskInfo("unrecorded", "exec sleep 1000");
        if (docker)
        {
            task["container"] = new JsonObject { ["type"] = "DOCKER", ["docker"] = new JsonObject { ["image"] = TestEnvironment.BusyboxImage, ["network"] = "HOST" } };
        }

        await framework.LaunchTasksAsync(offer, [task]);
        await framework.WaitForStateAsync("unrecorded", "TASK_RUNNING", TimeSpan.FromSeconds(30));
        await cluster.Daemon.KillHardAsync();

        var file = Path.Combine(work, "meta", "tasks", "unrecorded.json");
        var record = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject();
        Assert.NotNull(record["launchingContainer"]);
        var recorded = docker ? record["dockerId"]!.GetValue<string>() : null;
        var pid = docker ? 0 : PidOf(work, "unrecorded");
        record.Remove(docker ? "dockerId" : "container");
        record["state"] = "TASK_STARTING";
        await File.WriteAllTextAsync(file, record.ToJsonString());

        var restarted = await cluster.RestartAsync();

        // Found, recorded again and told RUNNING once more (its daemon had not yet said so, as far as it knows) — after
        // the restart's orphan sweep, which must have spared it.
        await Poll.UntilAsync(() => Task.FromResult(framework.Updates("unrecorded").Count(u => u["update"]!["status"]!["state"]!.GetValue<string>() == "TASK_RUNNING") >= 2),
            TimeSpan.FromSeconds(30), () => $"the task told RUNNING again (its updates: {string.Join(" | ", States(framework, "unrecorded"))})"
                + $"{Environment.NewLine}restarted daemon:{Environment.NewLine}{string.Join(Environment.NewLine, restarted.Output.TakeLast(40))}");
        Assert.Equal(["TASK_STARTING", "TASK_RUNNING"], States(framework, "unrecorded"));
        if (docker)
        {
            using var engine = new OrleansDcos.NodeDaemon.Containerizers.Docker.DockerEngineClient(TestEnvironment.DockerSocket!);
            Assert.Equal("running", (await engine.InspectContainerAsync(recorded!))?.Status);
            Assert.Equal(recorded, JsonNode.Parse(await File.ReadAllTextAsync(file))!["dockerId"]!.GetValue<string>());
        }
        else
        {
            Assert.True(ProcessAlive(pid), "the task was killed after its daemon found it again");
            Assert.Equal(pid, PidOf(work, "unrecorded"));
        }

        // And it is the daemon's again: a kill reaches it.
        await framework.CallOkAsync("KILL", new JsonObject { ["task_id"] = new JsonObject { ["value"] = "unrecorded" } });
        await framework.WaitForStateAsync("unrecorded", "TASK_KILLED", TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// A silo, one node daemon on a work directory of the test's own that can be killed and started again (back within
    /// the agent's re-registration window, 30 s here), and a framework subscribed with a failover timeout.
    /// </summary>
    private sealed class RestartableDaemon : IAsyncDisposable
    {
        private readonly string _resources;
        private DaemonProcess? _restarted;

        private RestartableDaemon(SiloProcess silo, TempDirectory work, DaemonProcess daemon, RawFramework framework, string resources) =>
            (Silo, Work, Daemon, Framework, _resources) = (silo, work, daemon, framework, resources);

        public SiloProcess Silo { get; }

        public TempDirectory Work { get; }

        /// <summary>The first daemon.</summary>
        public DaemonProcess Daemon { get; }

        public RawFramework Framework { get; }

        public static async Task<RestartableDaemon> StartAsync(string ports, string frameworkName)
        {
            var silo = await SiloProcess.StartAsync("--Silo:EmbeddedAgent=false", "--Master:AgentDisconnectedTimeout=00:00:30");
            var work = new TempDirectory();
            var resources = $"cpus:2;mem:1024;disk:1024;ports:[{ports}]";
            var cluster = new RestartableDaemon(silo, work, await DaemonProcess.StartAsync(silo.BaseAddress, work.Path, resources), new RawFramework(silo.BaseAddress), resources);
            try
            {
                await cluster.Framework.SubscribeAsync(frameworkName, failoverTimeout: 600);
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }

        /// <summary>Starts the daemon again on the same work directory (after <see cref="Daemon"/> was killed).</summary>
        public async Task<DaemonProcess> RestartAsync() => _restarted = await DaemonProcess.StartAsync(Silo.BaseAddress, Work.Path, _resources);

        public async ValueTask DisposeAsync()
        {
            await Daemon.DisposeAsync();
            if (_restarted is not null)
            {
                await _restarted.DisposeAsync();
            }

            await Framework.DisposeAsync();
            Work.Dispose();
            await Silo.DisposeAsync();
        }
    }

    /// <summary>The first offer of the silo's embedded agent; a timeout carries the silo's log.</summary>
    private static async Task<JsonObject> FirstOfferAsync(RawFramework framework, SiloProcess silo)
    {
        try
        {
            return await framework.NextOfferAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; the silo's log ends with:{Environment.NewLine}{silo.OutputTail()}", ex);
        }
    }

    private static JsonObject TaskInfo(string id, string command) => new()
    {
        ["name"] = id,
        ["task_id"] = new JsonObject { ["value"] = id },
        ["resources"] = RawFramework.Scalars(0.1, 32),
        ["command"] = new JsonObject { ["value"] = command },
    };

    private static string[] States(RawFramework framework, string taskId) =>
        framework.Updates(taskId).Select(u => u["update"]!["status"]!["state"]!.GetValue<string>()).Distinct().ToArray();

    /// <summary>The task's pid from the daemon's checkpoint.</summary>
    private static int PidOf(string work, string taskId)
    {
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(work, "meta", "tasks", taskId + ".json")))!;
        return record["container"]!["taskPid"]!.GetValue<int>();
    }

    /// <summary>The daemon has seen the task end (its record says so, or is gone once acknowledged): its cgroup is cleaned up.</summary>
    private static bool Ended(string work, string taskId)
    {
        var file = Path.Combine(work, "meta", "tasks", taskId + ".json");
        return !File.Exists(file) || JsonNode.Parse(File.ReadAllText(file))!["state"]!.GetValue<string>() == "TASK_KILLED";
    }

    private static bool SleepDone(string work) => Directory.EnumerateFiles(Path.Combine(work, "run"), "exit", SearchOption.AllDirectories).Any();

    private static bool ProcessAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].TrimStart().StartsWith('Z');
}

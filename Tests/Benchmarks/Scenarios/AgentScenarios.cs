using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansDcos.AgentLink;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Client.Frameworks;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Tests.Support;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>A framework on the SDK that keeps the offers and updates it receives for a benchmark to wait on.</summary>
internal sealed class BenchFramework : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    private BenchFramework(SchedulerSubscription subscription)
    {
        Subscription = subscription;
        _reader = Task.Run(ReadAsync);
    }

    public SchedulerSubscription Subscription { get; }

    public ConcurrentDictionary<string, OfferInfo> Offers { get; } = new();

    /// <summary>Per task: each state and when it was seen.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<(TaskState State, string AgentId, long Ticks)>> Updates { get; } = new();

    public static async Task<BenchFramework> SubscribeAsync(Uri silo, string name)
    {
        var http = new HttpClient { BaseAddress = silo, Timeout = Timeout.InfiniteTimeSpan };
        return new BenchFramework(await new SchedulerClient(http).SubscribeAsync(new FrameworkInfo(null, name, FailoverTimeoutSeconds: 60)));
    }

    public Task<OfferInfo> OfferAsync(Func<OfferInfo, bool>? where = null) => PollValue.UntilAsync(
        () => Task.FromResult(Offers.Values.FirstOrDefault(o => where?.Invoke(o) ?? true) is { } offer && Offers.TryRemove(offer.OfferId, out _) ? offer : null),
        TimeSpan.FromSeconds(30), "an offer");

    public bool Reached(string taskId, TaskState state) => Updates.TryGetValue(taskId, out var seen) && seen.Any(s => s.State == state);

    public long TicksOf(string taskId, TaskState state) => Updates[taskId].First(s => s.State == state).Ticks;

    public async ValueTask DisposeAsync()
    {
        await Subscription.TeardownAsync();
        await _stop.CancelAsync();
        await Subscription.DisposeAsync();
        await _reader.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task ReadAsync()
    {
        await foreach (var e in Subscription.Events(_stop.Token))
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var offer in e.Offers ?? [])
            {
                Offers[offer.OfferId] = offer;
            }

            if (e.OfferId is { } rescinded)
            {
                Offers.TryRemove(rescinded, out _);
            }

            if (e.Status is { } status)
            {
                Updates.GetOrAdd(status.Status.TaskId, _ => new()).Enqueue((status.Status.State, status.AgentId, now));
                try
                {
                    await Subscription.AcknowledgeAsync(status);
                }
                catch (Exception ex) when (ex is OrleansDcos.Client.DcosApiException or HttpRequestException)
                {
                    Console.Error.WriteLine($"  acknowledging {status.Status.TaskId} {status.Status.State} failed: {ex.Message}");
                }
            }
        }
    }
}

/// <summary>
/// T6: API submit (the ACCEPT call) → RUNNING seen by the framework, for process tasks on a real node daemon (the
/// silo's embedded one, with cgroups when the machine gives them). One task at a time, so each launch is alone.
/// </summary>
internal sealed class LaunchLatencyScenario : IScenario
{
    public string Name => "launch-latency";

    public string Description => "submit -> RUNNING on a real node daemon, process and Docker tasks (target process p50 <= 20 ms, p99 <= 100 ms; docker <= docker run + 100 ms)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var launches = small ? 50 : 200;
        await using var silo = await SiloProcess.StartAsync("--Master:AllocationBatchDelay=00:00:00.001");
        await using var framework = await BenchFramework.SubscribeAsync(silo.BaseAddress, "latency");
        List<double> process;
        try
        {
            process = await MeasureAsync(framework, launches, i => new TaskSpec($"p{i}", $"p{i}", "", "", Resources.Parse("cpus:0.01;mem:8"), new CommandSpec("exec sleep 600")));
        }
        catch (TimeoutException)
        {
            foreach (var line in silo.Output.TakeLast(40))
            {
                Console.Error.WriteLine("  silo: " + line);
            }

            throw;
        }
        var result = new ScenarioResult()
            .Add("kind", "process")
            .Add("launches", launches)
            .Add("p50_ms", Percentile(process, 0.5), 2)
            .Add("p99_ms", Percentile(process, 0.99), 2);
        if (!File.Exists(OrleansDcos.NodeDaemon.Containerizers.Docker.DockerEngineClient.DefaultSocketPath))
        {
            return result;
        }

        // Docker: the same path against a baseline of create + start of the same container straight on the engine (what `docker run -d` does).
        var dockerLaunches = small ? 10 : 40;
        var docker = await MeasureAsync(framework, dockerLaunches, i => new TaskSpec($"d{i}", $"d{i}", "", "", Resources.Parse("cpus:0.01;mem:8"), new CommandSpec("sleep 600"), new DockerSpec("local/busybox:1")));
        using var engine = new OrleansDcos.NodeDaemon.Containerizers.Docker.DockerEngineClient();
        var baseline = new List<double>();
        for (var i = 0; i < dockerLaunches; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var id = await engine.CreateContainerAsync(new OrleansDcos.NodeDaemon.Containerizers.Docker.DockerContainerSpec("local/busybox:1", ["sleep", "600"]) { NanoCpus = 10_000_000, MemoryBytes = 8 << 20 });
            await engine.StartContainerAsync(id);
            baseline.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            await engine.RemoveContainerAsync(id, force: true);
        }

        baseline.Sort();
        Console.WriteLine($"RESULT scenario=launch-latency kind=docker launches={dockerLaunches} p50_ms={Percentile(docker, 0.5):0.##} p99_ms={Percentile(docker, 0.99):0.##} docker_run_p50_ms={Percentile(baseline, 0.5):0.##} docker_run_p99_ms={Percentile(baseline, 0.99):0.##}");
        return result;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(sorted.Count * p) - 1)];

    /// <summary>Launches one task at a time (after 5 of warm-up); the sorted latencies from ACCEPT to RUNNING.</summary>
    private static async Task<List<double>> MeasureAsync(BenchFramework framework, int launches, Func<int, TaskSpec> task)
    {
        var latencies = new List<double>();
        for (var i = 0; i < launches + 5; i++)
        {
            var offer = await framework.OfferAsync();
            var spec = task(i);
            var id = spec.TaskId;
            var start = Stopwatch.GetTimestamp();
            await framework.Subscription.LaunchAsync(offer, [spec], refuseSeconds: 0);
            await Poll.UntilAsync(() => Task.FromResult(framework.Reached(id, TaskState.TASK_RUNNING) || framework.Reached(id, TaskState.TASK_FAILED) || framework.Reached(id, TaskState.TASK_ERROR)),
                TimeSpan.FromSeconds(30), () => $"task {id} running (saw {string.Join(", ", framework.Updates.GetValueOrDefault(id)?.Select(u => u.State) ?? [])}; offers {framework.Offers.Count})", TimeSpan.FromMilliseconds(1));
            if (!framework.Reached(id, TaskState.TASK_RUNNING))
            {
                throw new InvalidOperationException($"task {id} failed to launch");
            }

            if (i >= 5)
            {
                latencies.Add(Stopwatch.GetElapsedTime(start, framework.TicksOf(id, TaskState.TASK_RUNNING)).TotalMilliseconds);
            }

            // Its resources go back for the next launch (the kill is not measured).
            await framework.Subscription.KillAsync(id, gracePeriod: TimeSpan.Zero);
            await Poll.UntilAsync(() => Task.FromResult(framework.Reached(id, TaskState.TASK_KILLED)), TimeSpan.FromSeconds(30),
                () => $"task {id} killed (saw {string.Join(", ", framework.Updates[id].Select(u => u.State))})", TimeSpan.FromMilliseconds(5));
        }

        latencies.Sort();
        return latencies;
    }
}

/// <summary>
/// T7: two node daemons; tasks run on one; it is killed with SIGKILL. Seconds from the kill until a replacement of
/// every lost task (relaunched by the framework when told the agent is unreachable) runs on the other.
/// </summary>
internal sealed class AgentLossScenario : IScenario
{
    public string Name => "agent-loss";

    public string Description => "kill -9 a node daemon: seconds until replacements run on another (target <= 10 s)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var tasks = small ? 5 : 20;
        await using var silo = await SiloProcess.StartAsync("--Silo:EmbeddedAgent=false");
        using var workA = new TempDirectory();
        using var workB = new TempDirectory();
        const string Resources = "cpus:2;mem:2048;disk:1024;ports:[33000-33099]";
        var doomed = await DaemonProcess.StartAsync(silo.BaseAddress, workA.Path, Resources, "--Daemon:Attributes=name:doomed");
        await using var survivor = await DaemonProcess.StartAsync(silo.BaseAddress, workB.Path, Resources, "--Daemon:Attributes=name:survivor");
        await using var framework = await BenchFramework.SubscribeAsync(silo.BaseAddress, "replacer");
        try
        {
            var first = await framework.OfferAsync(o => o.Attributes.Contains("doomed", StringComparison.Ordinal));
            await framework.Subscription.LaunchAsync(first, Enumerable.Range(0, tasks).Select(i => new TaskSpec($"t{i}", $"t{i}", "", "", OrleansDcos.Scheduling.Resources.Resources.Parse("cpus:0.05;mem:16"), new CommandSpec("exec sleep 600"))).ToArray());
            await Poll.UntilAsync(() => Task.FromResult(Enumerable.Range(0, tasks).All(i => framework.Reached($"t{i}", TaskState.TASK_RUNNING))), TimeSpan.FromSeconds(30), "tasks running");
            var pids = Directory.GetFiles(Path.Combine(workA.Path, "meta", "tasks"), "*.json")
                .Select(f => System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(f))!["container"]!["taskPid"]!.GetValue<int>()).ToArray();

            var clock = Stopwatch.StartNew();
            await doomed.KillHardAsync();
            foreach (var pid in pids)
            {
                // The machine "died": its tasks go with it.
                try
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
                }
                catch (ArgumentException)
                {
                }
            }

            var replaced = new HashSet<string>();
            while (replaced.Count < tasks)
            {
                foreach (var i in Enumerable.Range(0, tasks).Where(i => !replaced.Contains($"t{i}")))
                {
                    if (framework.Reached($"t{i}", TaskState.TASK_LOST) || framework.Reached($"t{i}", TaskState.TASK_UNREACHABLE))
                    {
                        var offer = await framework.OfferAsync(o => o.Attributes.Contains("survivor", StringComparison.Ordinal));
                        await framework.Subscription.LaunchAsync(offer, [new TaskSpec($"r{i}", $"r{i}", "", "", OrleansDcos.Scheduling.Resources.Resources.Parse("cpus:0.05;mem:16"), new CommandSpec("exec sleep 600"))], refuseSeconds: 0);
                        replaced.Add($"t{i}");
                    }
                }

                await Task.Delay(5);
            }

            await Poll.UntilAsync(() => Task.FromResult(Enumerable.Range(0, tasks).All(i => framework.Reached($"r{i}", TaskState.TASK_RUNNING))), TimeSpan.FromSeconds(60), "replacements running", TimeSpan.FromMilliseconds(5));
            return new ScenarioResult().Add("tasks", tasks).Add("seconds", clock.Elapsed.TotalSeconds, 2);
        }
        finally
        {
            await doomed.DisposeAsync();
        }
    }
}

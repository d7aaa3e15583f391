using System.Diagnostics;
using OrleansDcos.AgentLink;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Tests.Support;

namespace OrleansDcos.Benchmarks.Scenarios;

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

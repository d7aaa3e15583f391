using System.Diagnostics;
using OrleansDcos.AgentLink;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Mesos;
using OrleansDcos.Tests.Support;

namespace OrleansDcos.Benchmarks.Scenarios;

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

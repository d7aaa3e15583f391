using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Benchmarks.Harness;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>deploy-10k: one app scaled to 10,000 instances on simulated agents; seconds until the deployment is done (all running).</summary>
internal sealed class Deploy10kScenario : IScenario
{
    public string Name => "deploy-10k";

    public string Description => "one Marathon app to 10,000 instances on simulated agents: seconds until all running (target <= 10 s)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var (instances, agents) = small ? (1_000, 50) : (10_000, 500);
        await using var bench = await MarathonBench.StartAsync(agents, "cpus:40;mem:40960;ports:[31000-32000]");
        var clock = Stopwatch.StartNew();
        using (var created = await bench.Http.PostAsJsonAsync("/v2/apps", MarathonBench.App("/bench/big", instances), cancellationToken))
        {
            created.EnsureSuccessStatusCode();
        }

        await bench.WaitForDeploymentsAsync(TimeSpan.FromMinutes(small ? 2 : 5));
        var seconds = clock.Elapsed.TotalSeconds;
        var app = JsonNode.Parse(await bench.Http.GetStringAsync("/v2/apps/bench/big", cancellationToken))!["app"]!;
        return new ScenarioResult()
            .Add("instances", instances)
            .Add("agents", agents)
            .Add("running", app["tasksRunning"]!.GetValue<int>())
            .Add("seconds", seconds, 2)
            .Add("instances_per_s", instances / seconds, 0);
    }
}

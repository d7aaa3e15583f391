using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Benchmarks.Harness;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>api-scale: GET /v2/apps latency with many apps and tasks (Marathon was slow at 1,000 tasks).</summary>
internal sealed class ApiScaleScenario : IScenario
{
    private const int TasksPerApp = 10;

    public string Name => "api-scale";

    public string Description => "GET /v2/apps with 10,000 apps and 100,000 tasks: p50/p99 ms (target p99 <= 200 ms)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var (apps, agents) = small ? (1_000, 50) : (10_000, 500);
        await using var bench = await MarathonBench.StartAsync(agents, $"cpus:{apps * TasksPerApp / agents};mem:{apps * TasksPerApp / agents * 16};ports:[31000-32000]");
        var setup = Stopwatch.StartNew();
        const int PerRequest = 500;
        for (var first = 0; first < apps; first += PerRequest)
        {
            var batch = new JsonArray(Enumerable.Range(first, Math.Min(PerRequest, apps - first))
                .Select(i => (JsonNode)MarathonBench.App($"/bench/g{i / 100}/app{i}", TasksPerApp)).ToArray());
            using var created = await bench.Http.PutAsJsonAsync("/v2/apps", batch, cancellationToken);
            created.EnsureSuccessStatusCode();
        }

        await bench.WaitForDeploymentsAsync(TimeSpan.FromMinutes(small ? 3 : 15));
        var setupSeconds = setup.Elapsed.TotalSeconds;
        var tasks = JsonNode.Parse(await bench.Http.GetStringAsync("/v2/tasks", cancellationToken))!["tasks"]!.AsArray().Count;

        var plain = await GetLatency.MeasureAsync(bench.Http, "/v2/apps", 30, warmUp: 2, cancellationToken);
        var embedded = await GetLatency.MeasureAsync(bench.Http, "/v2/apps?embed=apps.tasks", 10, warmUp: 2, cancellationToken);
        return new ScenarioResult()
            .Add("apps", apps)
            .Add("tasks", tasks)
            .Add("setup_seconds", setupSeconds, 1)
            .Add("p50_ms", plain.P50, 1)
            .Add("p99_ms", plain.P99, 1)
            .Add("tasks_p50_ms", embedded.P50, 1)
            .Add("tasks_p99_ms", embedded.P99, 1);
    }
}

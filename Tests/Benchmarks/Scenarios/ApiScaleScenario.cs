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

        var plain = await MeasureAsync(bench.Http, "/v2/apps", 30, cancellationToken);
        var embedded = await MeasureAsync(bench.Http, "/v2/apps?embed=apps.tasks", 10, cancellationToken);
        return new ScenarioResult()
            .Add("apps", apps)
            .Add("tasks", tasks)
            .Add("setup_seconds", setupSeconds, 1)
            .Add("p50_ms", plain.P50, 1)
            .Add("p99_ms", plain.P99, 1)
            .Add("tasks_p50_ms", embedded.P50, 1)
            .Add("tasks_p99_ms", embedded.P99, 1);
    }

    private static async Task<(double P50, double P99)> MeasureAsync(HttpClient http, string path, int rounds, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        for (var i = 0; i < rounds + 2; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            if (i >= 2)
            {
                times.Add(clock.Elapsed.TotalMilliseconds); // the first two warm up
            }
        }

        times.Sort();
        return (times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.99) - 1]);
    }
}

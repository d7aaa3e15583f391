using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Silo;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>One silo with the master and Marathon on PostgreSQL, simulated agents in a child process, driven over /v2.</summary>
internal sealed class MarathonBench : IAsyncDisposable
{
    private readonly WebSiloCluster _cluster;
    private readonly ChildProcess _agents;

    private MarathonBench(WebSiloCluster cluster, ChildProcess agents, HttpClient http)
    {
        _cluster = cluster;
        _agents = agents;
        Http = http;
    }

    public HttpClient Http { get; }

    public static async Task<MarathonBench> StartAsync(int agents, string resources)
    {
        var cluster = await MasterBenchCluster.StartAsync(o => o.AllocationInterval = TimeSpan.FromMilliseconds(500), marathon: true);
        var simulated = SimulatedAgentsHost.Start(cluster.Gateways[0], agents, resources);
        var http = new HttpClient { BaseAddress = cluster.Gateways[0], Timeout = TimeSpan.FromMinutes(5) };
        await Poll.UntilAsync(async () => JsonNode.Parse(await http.GetStringAsync("/master/slaves"))!["slaves"]!.AsArray().Count == agents,
            TimeSpan.FromMinutes(3), "every simulated agent registered", TimeSpan.FromSeconds(1));
        return new MarathonBench(cluster, simulated, http);
    }

    /// <summary>Waits until no deployment runs.</summary>
    public Task WaitForDeploymentsAsync(TimeSpan timeout) =>
        Poll.UntilAsync(async () => JsonNode.Parse(await Http.GetStringAsync("/v2/deployments"))!.AsArray().Count == 0, timeout, "every deployment finished", TimeSpan.FromMilliseconds(100));

    public static JsonObject App(string id, int instances) => new()
    {
        ["id"] = id,
        ["cmd"] = "sleep 100000",
        ["cpus"] = 0.01,
        ["mem"] = 1,
        ["instances"] = instances,
    };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _agents.DisposeAsync();
        await _cluster.DisposeAsync();
    }
}

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

using System.Text.Json.Nodes;
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

    /// <summary>The silo's address (its DNS server listens there).</summary>
    public string Host => _cluster.RunningSilos[0].Endpoint.Host;

    /// <summary>
    /// Starts the silo (with Chronos too when <paramref name="jobs"/>) and <paramref name="agents"/> simulated agents
    /// whose tasks run until killed, or finish after <paramref name="runFor"/>.
    /// </summary>
    public static async Task<MarathonBench> StartAsync(int agents, string resources, bool jobs = false, TimeSpan? runFor = null, int? dnsPort = null)
    {
        var cluster = await MasterBenchCluster.StartAsync(o => o.AllocationInterval = TimeSpan.FromMilliseconds(500), marathon: true, jobs: jobs, dnsPort: dnsPort);
        var simulated = SimulatedAgentsHost.Start(cluster.Gateways[0], agents, resources, runFor);
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

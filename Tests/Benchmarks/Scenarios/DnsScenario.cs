using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Tests.Support;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// dns: 10,000 Marathon tasks (1,000 apps × 10; 1,000 tasks with --small) on simulated agents, then Debian's
/// <c>dnsperf</c> against the silo's DNS server for 10 s (5 s small) with their names — A of each app, SRV of each
/// app's port, A of the cluster's names — with EDNS: queries/s, lost queries, and answers that are not NOERROR; measured
/// after 20 s of queries (the first 5 s reported apart as the cold rate).
/// </summary>
internal sealed class DnsScenario : IScenario
{
    public string Name => "dns";

    public string Description => "dnsperf 10 s against the silo's DNS with the names of 10,000 tasks: queries/s (target >= 20k), errors 0";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var dnsperf = new[] { "/usr/bin/dnsperf", "/usr/local/bin/dnsperf" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("dnsperf is missing: run infra/provision.sh (Debian package dnsperf)");
        var (apps, agents, seconds) = small ? (100, 20, 5) : (1_000, 100, 10);
        const int perApp = 10;
        var dnsPort = FreePort.Next();
        await using var bench = await MarathonBench.StartAsync(agents, "cpus:1000;mem:1000000;disk:100000;ports:[31000-32999]", dnsPort: dnsPort);

        await Parallel.ForEachAsync(Enumerable.Range(0, apps), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var app = MarathonBench.App($"/dns/app-{i:D4}", perApp);
            app["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = 0, ["name"] = "http" });
            using var created = await bench.Http.PostAsJsonAsync("/v2/apps", app, token);
            created.EnsureSuccessStatusCode();
        });
        await bench.WaitForDeploymentsAsync(TimeSpan.FromMinutes(10));
        await Poll.UntilAsync(async () => JsonNode.Parse(await bench.Http.GetStringAsync("/v1/enumerate", cancellationToken))!["frameworks"]!.AsArray()
            .Sum(f => f!["tasks"]!.AsArray().Count) == apps * perApp, TimeSpan.FromMinutes(2), "every task in DNS", TimeSpan.FromSeconds(1));

        var queries = Path.GetTempFileName();
        try
        {
            var lines = Enumerable.Range(0, apps).SelectMany(i => new[]
            {
                $"app-{i:D4}-dns.marathon.mesos A",
                $"_app-{i:D4}-dns._tcp.marathon.mesos SRV",
                $"_http._app-{i:D4}-dns._tcp.marathon.mesos SRV",
            }).Concat(["leader.mesos A", "master.mesos A", "slave.mesos A"]).ToList();
            await File.WriteAllLinesAsync(queries, lines, cancellationToken);

            // Cold: the first seconds after the silo deployed its apps, when .NET's tiered compilation is still working
            // through the backlog of code the deployment made hot, and the DNS path runs unoptimized. Then 15 s more
            // of queries, and the measured run: the steady state a DNS server lives in.
            var cold = Rate(await RunDnsperfAsync(dnsperf, bench.Host, dnsPort, queries, 5, cancellationToken));
            await RunDnsperfAsync(dnsperf, bench.Host, dnsPort, queries, 15, cancellationToken);
            var output = await RunDnsperfAsync(dnsperf, bench.Host, dnsPort, queries, seconds, cancellationToken);
            Console.WriteLine(output);
            long Count(string label) => output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal)) is { } line
                ? long.Parse(line[(line.IndexOf(':') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) : -1;
            var codes = output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("Response codes:", StringComparison.Ordinal)) ?? "";
            var completed = Count("Queries completed:");
            var noError = codes.Contains("NOERROR", StringComparison.Ordinal)
                ? long.Parse(codes[(codes.IndexOf("NOERROR", StringComparison.Ordinal) + 8)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) : 0;
            var qps = Rate(output);
            return new ScenarioResult()
                .Add("tasks", apps * perApp)
                .Add("names", lines.Count)
                .Add("seconds", seconds)
                .Add("queries_per_s", qps, 0)
                .Add("cold_queries_per_s", cold, 0)
                .Add("completed", completed)
                .Add("lost", Count("Queries lost:"))
                .Add("errors", completed - noError);
        }
        finally
        {
            File.Delete(queries);
        }
    }

    private static double Rate(string output) =>
        output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("Queries per second:", StringComparison.Ordinal)) is { } q
            ? double.Parse(q[(q.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture) : double.NaN;

    private static async Task<string> RunDnsperfAsync(string dnsperf, string host, int port, string queries, int seconds, CancellationToken cancellationToken)
    {
        var (_, output, error) = await ChildProcess.RunAsync(dnsperf,
            ["-s", host, "-p", port.ToString(CultureInfo.InvariantCulture), "-d", queries, "-l", seconds.ToString(CultureInfo.InvariantCulture), "-c", "8", "-q", "100", "-e", "-t", "2"],
            cancellationToken);
        return output + error;
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Discovery;
using OrleansDcos.Tests.Support.Jobs;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Operator;

/// <summary>
/// The silo's <c>/metrics</c> and a node daemon's in Prometheus' format: <c>promtool check metrics</c> passes on both
/// and a real Prometheus scrapes both.
/// </summary>
[Trait("Area", "Operator")]
public sealed class PrometheusMetricsTests
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(60);

    [RequiresFact(Component.Prometheus, Component.Cgroups, Component.Dig)]
    public async Task A_real_Prometheus_scrapes_a_silo_and_a_node_daemon_and_answers_the_running_tasks_count_and_a_tasks_memory()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        using var work = new TempDirectory();
        await using var daemon = await DaemonProcess.StartAsync(silo.BaseAddress, Path.Combine(work.Path, "agent"), "cpus:1;mem:512;disk:100;ports:[32400-32409]",
            "--Daemon:Attributes=name:scraped");
        await api.WaitForAgentsAsync(2);
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", new JsonObject { ["id"] = "/prom/sleeper", ["cmd"] = "sleep 600", ["cpus"] = 0.1, ["mem"] = 16, ["instances"] = 2 });
        // A task that holds 24 MB of memory (a shell variable) on the daemon's agent: its cgroup's usage is what the daemon reports.
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", new JsonObject
        {
            ["id"] = "/prom/holder",
            ["cmd"] = "x=$(head -c 25165824 /dev/zero | tr '\\0' a); sleep 600",
            ["cpus"] = 0.1,
            ["mem"] = 64,
            ["constraints"] = new JsonArray(new JsonArray("name", "CLUSTER", "scraped")),
        });
        await api.WaitForTasksAsync("/prom/sleeper", 2);
        await api.WaitForTasksAsync("/prom/holder", 1);

        // Work for the counters: a DNS query and a job run.
        var dig = new Dig("127.0.0.1", silo.DnsPort);
        await dig.AskAsync("sleeper-prom.marathon.mesos");
        using var chronos = new ChronosApi(silo.BaseAddress, () => silo.OutputTail(80));
        await chronos.PutJobAsync(new JsonObject { ["name"] = "prom-job", ["command"] = "true", ["schedule"] = "R/2099-01-01T00:00:00Z/PT24H", ["cpus"] = 0.05, ["mem"] = 16 });
        Assert.Equal(HttpStatusCode.NoContent, (await chronos.SendAsync(HttpMethod.Put, "/job/prom-job")).Status);
        await chronos.WaitForRunsAsync("prom-job", "succeeded", 1);

        // As a scraper asks: Prometheus' text format, which promtool accepts whole; a Marathon client still gets JSON.
        var text = await ScrapeAsync(api.Http, new Uri(silo.BaseAddress, "metrics"));
        Assert.Contains("\nmesos_master_tasks_running 3\n", text, StringComparison.Ordinal);
        Assert.Contains("\nmarathon_apps_active 2\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE microsoft_orleans_", text, StringComparison.Ordinal); // Orleans' own meters
        Assert.Contains("# TYPE mesos_master_offers_made_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE mesos_master_offers_accepted_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE mesos_master_offers_declined_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE mesos_master_offers_rescinded_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE mesos_master_allocation_run_duration_seconds histogram", text, StringComparison.Ordinal);
        // Marathon's tasks are allocated to either of its roles ('*' and its resident role), as offers came.
        Assert.Equal(96, text.Split('\n').Where(l => l.StartsWith("mesos_master_resources_used{resource=\"mem\",role=", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("\nmesos_master_resources_capacity{resource=\"cpus\"} ", text, StringComparison.Ordinal);
        Assert.Contains("\nmesos_dns_queries_total{rcode=\"NOERROR\",type=\"A\"} ", text, StringComparison.Ordinal);
        Assert.Contains("\nchronos_job_runs_total{job=\"prom-job\",outcome=\"succeeded\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("mesos_agent_task_memory_usage_bytes{agent_id=", text, StringComparison.Ordinal); // the embedded agent's tasks
        Assert.Contains("# TYPE dotnet_gc_last_full_live_bytes gauge", text, StringComparison.Ordinal); // what the heap keeps (the fuzzer's memory check)
        await PromtoolAsync(work, "silo", text);
        Assert.NotNull(JsonNode.Parse(await api.Http.GetStringAsync("/metrics"))!["gauges"]);

        // The daemon's own /metrics: its task's cgroup, in Prometheus' format.
        var daemonText = await ScrapeAsync(api.Http, new Uri(daemon.HttpAddress, "metrics"));
        Assert.Contains("# TYPE mesos_agent_task_cpu_usage_seconds_total counter", daemonText, StringComparison.Ordinal);
        Assert.Contains("task_id=\"prom_holder.", daemonText, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(daemonText, "agent_id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Distinct()); // its own agent's tasks only
        await PromtoolAsync(work, "daemon", daemonText);

        // A real Prometheus scraping both every second: its query API answers the running tasks' count and the held memory.
        var port = FreePort.Next();
        var config = Path.Combine(work.Path, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: silo
                static_configs:
                  - targets: ['{silo.BaseAddress.Authority}']
              - job_name: agent
                static_configs:
                  - targets: ['{daemon.HttpAddress.Authority}']
            """);
        await using var prometheus = ChildProcess.Start(TestEnvironment.PrometheusPath!,
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(work.Path, "data")}", $"--web.listen-address=127.0.0.1:{port}"]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        async Task<double> QueryAsync(string query) => double.Parse(await PollValue.UntilAsync(async () =>
        {
            try
            {
                var answer = JsonNode.Parse(await http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(query)))!;
                return answer["data"]!["result"]!.AsArray().FirstOrDefault()?["value"]![1]!.GetValue<string>();
            }
            catch (HttpRequestException)
            {
                return null; // not listening yet
            }
        }, Fresh, () => $"Prometheus answering {query}\n" + string.Join('\n', prometheus.Output.TakeLast(20))), CultureInfo.InvariantCulture);

        Assert.Equal(3, await QueryAsync("mesos_master_tasks_running{job=\"silo\"}"));
        var held = await QueryAsync("mesos_agent_task_memory_usage_bytes{job=\"agent\",task_id=~\"prom_holder.*\"}");
        Assert.InRange(held, 24 * 1024 * 1024, 64 * 1024 * 1024);
        Assert.Equal(64 * 1024 * 1024, await QueryAsync("mesos_agent_task_memory_limit_bytes{job=\"agent\",task_id=~\"prom_holder.*\"}"));
    }

    private static async Task<string> ScrapeAsync(HttpClient http, Uri uri)
    {
        using var scrape = new HttpRequestMessage(HttpMethod.Get, uri);
        scrape.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("text/plain;version=0.0.4"));
        using var scraped = await http.SendAsync(scrape);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.StartsWith("text/plain", scraped.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await scraped.Content.ReadAsStringAsync();
    }

    private static async Task PromtoolAsync(TempDirectory work, string name, string text)
    {
        var file = Path.Combine(work.Path, $"{name}.txt");
        await File.WriteAllTextAsync(file, text);
        var (exit, output, error) = await ChildProcess.RunAsync("sh", ["-c", $"'{TestEnvironment.PromtoolPath}' check metrics < '{file}'"]);
        Assert.True(exit == 0, $"promtool check metrics ({name}): {output}{error}");
    }
}

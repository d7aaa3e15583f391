using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Operator;

/// <summary>The silo's <c>/metrics</c> in Prometheus' format: <c>promtool check metrics</c> passes and a real Prometheus scrapes it.</summary>
[Trait("Area", "Operator")]
public sealed class PrometheusMetricsTests
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(60);

    [RequiresFact(Component.Prometheus)]
    public async Task A_real_Prometheus_scrapes_the_silo_and_answers_the_running_tasks_count()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", new JsonObject { ["id"] = "/prom/sleeper", ["cmd"] = "sleep 600", ["cpus"] = 0.1, ["mem"] = 16, ["instances"] = 2 });
        await api.WaitForTasksAsync("/prom/sleeper", 2);

        // As a scraper asks: Prometheus' text format, which promtool accepts whole; a Marathon client still gets JSON.
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("text/plain;version=0.0.4"));
        using var scraped = await api.Http.SendAsync(scrape);
        Assert.StartsWith("text/plain", scraped.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = await scraped.Content.ReadAsStringAsync();
        Assert.Contains("\nmesos_master_tasks_running 2\n", text, StringComparison.Ordinal);
        Assert.Contains("\nmarathon_apps_active 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE microsoft_orleans_", text, StringComparison.Ordinal); // Orleans' own meters
        using var work = new TempDirectory();
        var file = Path.Combine(work.Path, "metrics.txt");
        await File.WriteAllTextAsync(file, text);
        var (exit, output, error) = await ChildProcess.RunAsync("sh", ["-c", $"'{TestEnvironment.PromtoolPath}' check metrics < '{file}'"]);
        Assert.True(exit == 0, $"promtool check metrics: {output}{error}");
        Assert.NotNull(JsonNode.Parse(await api.Http.GetStringAsync("/metrics"))!["gauges"]);

        // A real Prometheus scraping the silo every second; its query API answers the running tasks' count.
        var port = FreePort.Next();
        var config = Path.Combine(work.Path, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: silo
                static_configs:
                  - targets: ['{silo.BaseAddress.Host}:{silo.BaseAddress.Port}']
            """);
        await using var prometheus = ChildProcess.Start(TestEnvironment.PrometheusPath!,
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(work.Path, "data")}", $"--web.listen-address=127.0.0.1:{port}"]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var value = await PollValue.UntilAsync(async () =>
        {
            try
            {
                var answer = JsonNode.Parse(await http.GetStringAsync("/api/v1/query?query=mesos_master_tasks_running"))!;
                return answer["data"]!["result"]!.AsArray().FirstOrDefault()?["value"]![1]!.GetValue<string>();
            }
            catch (HttpRequestException)
            {
                return null; // not listening yet
            }
        }, Fresh, () => "Prometheus answering mesos_master_tasks_running\n" + string.Join('\n', prometheus.Output.TakeLast(20)));
        Assert.Equal(2, double.Parse(value, CultureInfo.InvariantCulture));
    }
}

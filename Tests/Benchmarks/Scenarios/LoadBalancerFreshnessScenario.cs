using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Balancing;
using OrleansDcos.Tests.Support.Marathon;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// lb-freshness: an app of 1,000 instances (200 with --small) behind the load balancer process (LoadBalancer/, running
/// the provisioned haproxy), started on one simulated agent; for each task, the time from its RUNNING as the framework
/// sees it (status_update_event on /v2/events) to its server line in the configuration haproxy runs (the file is put
/// in place after <c>haproxy -c</c> accepted it, just before the reload signal; read every 20 ms).
/// </summary>
internal sealed class LoadBalancerFreshnessScenario : IScenario
{
    public string Name => "lb-freshness";

    public string Description => "RUNNING (as the framework sees it) to haproxy's configuration serving it: p50/p99 seconds (target p99 <= 1 s)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var instances = small ? 200 : 1_000;

        // One agent: servers are told apart by address and port, and simulated agents share both.
        await using var bench = await MarathonBench.StartAsync(1, "cpus:1000;mem:1000000;disk:100000;ports:[31000-32999]");
        await using var lb = await LoadBalancerProcess.StartAsync([bench.Http.BaseAddress!]);
        var running = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var seen = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var reloads = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        using var events = new HttpClient { BaseAddress = bench.Http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var listening = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in SseReader.ReadAsync(events, "/v2/events?event_type=status_update_event", cancellationToken: stop.Token))
                {
                    if (e.Data["taskStatus"]?.GetValue<string>() == "TASK_RUNNING" && e.Data["ipAddresses"]?[0]?["ipAddress"]?.GetValue<string>() is { } ip
                        && e.Data["ports"]?[0]?.GetValue<int>() is { } port)
                    {
                        running.TryAdd($"{ip}:{port}", DateTimeOffset.UtcNow);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Done.
            }
        }, CancellationToken.None);

        var reading = Task.Run(async () =>
        {
            var last = string.Empty;
            while (!stop.IsCancellationRequested)
            {
                var text = lb.RunningConfig;
                var now = DateTimeOffset.UtcNow;
                if (!ReferenceEquals(text, last) && text != last)
                {
                    reloads++;
                    last = text;
                    foreach (var line in text.Split('\n'))
                    {
                        var parts = line.Trim().Split(' ');
                        if (parts is ["server", _, var address, ..])
                        {
                            seen.TryAdd(address, now);
                        }
                    }
                }

                await Task.Delay(20, CancellationToken.None);
            }
        }, CancellationToken.None);

        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); // the event streams attached
        var app = MarathonBench.App("/fresh/web", instances);
        app["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = 0 });
        app["labels"] = new JsonObject { ["HAPROXY_GROUP"] = "external" };
        using (var created = await bench.Http.PostAsJsonAsync("/v2/apps", app, cancellationToken))
        {
            created.EnsureSuccessStatusCode();
        }

        await Poll.UntilAsync(() => Task.FromResult(running.Count >= instances && running.Keys.All(seen.ContainsKey)), TimeSpan.FromMinutes(5),
            () => $"every task RUNNING and in haproxy's configuration ({running.Count} running, {running.Keys.Count(seen.ContainsKey)} of them seen)\n{lb.OutputTail()}",
            TimeSpan.FromMilliseconds(100));
        await stop.CancelAsync();
        await listening;
        await reading;

        var delays = running.Select(kv => (seen[kv.Key] - kv.Value).TotalSeconds).Order().ToList();
        double At(double p) => Percentile.Of(delays, p);
        return new ScenarioResult()
            .Add("tasks", delays.Count)
            .Add("p50_s", At(0.5), 3)
            .Add("p99_s", At(0.99), 3)
            .Add("max_s", At(1), 3)
            .Add("configurations", reloads);
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Scheduling.Discovery;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// dns-freshness: 100 apps of 10 instances (20 with --small) started together on simulated agents; for each task, the
/// time from its RUNNING as the framework sees it (Marathon's status_update_event on /v2/events, as a client receives
/// it) to the first DNS answer that has it (its SRV record: 8 clients ask the apps' SRV names over TCP in turn, each
/// name about every 20 ms). Mesos-DNS' default is 60 s.
/// </summary>
internal sealed class DnsFreshnessScenario : IScenario
{
    public string Name => "dns-freshness";

    public string Description => "RUNNING (as the framework sees it) to DNS answering it: p50/p99 seconds (target p99 <= 1 s)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        const int perApp = 10;
        var (apps, agents) = small ? (20, 20) : (100, 100);
        var instances = apps * perApp;
        var dnsPort = FreePort.Next();
        await using var bench = await MarathonBench.StartAsync(agents, "cpus:1000;mem:1000000;disk:100000;ports:[31000-32999]", dnsPort: dnsPort);
        // Tasks by the hash and agent of the name DNS gives them (agents share port numbers): web-N-fresh-<hash>-<agent>.marathon.slave.mesos.
        var running = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var seen = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // The framework's view: RUNNING statuses off the event bus, by the task's port.
        using var events = new HttpClient { BaseAddress = bench.Http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var listening = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in SseReader.ReadAsync(events, "/v2/events?event_type=status_update_event", cancellationToken: stop.Token))
                {
                    if (e.Data["taskStatus"]?.GetValue<string>() == "TASK_RUNNING" && e.Data["taskId"]?.GetValue<string>() is { } taskId
                        && e.Data["slaveId"]?.GetValue<string>() is { } agentId)
                    {
                        running.TryAdd($"{TaskHash.Of(taskId)}-{DiscoveryRecords.AgentTail(agentId)}", DateTimeOffset.UtcNow);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Done.
            }
        }, CancellationToken.None);

        // DNS' view: the apps' SRV records, asked over TCP by 8 clients in turn.
        var errors = new ConcurrentBag<string>();
        var names = Enumerable.Range(0, apps).Select(i => DomainName.Parse($"_web-{i:D3}-fresh._tcp.marathon.mesos")).ToArray();
        var asking = Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var client = new DnsClient([IPAddress.Parse(bench.Host)], [new TcpClientTransport(dnsPort)], false, 2000); // one each: ARSoft's client is not shared here
            while (!stop.IsCancellationRequested)
            {
                for (var i = worker; i < names.Length; i += 8)
                {
                    DnsMessage? answer;
                    try
                    {
                        answer = await client.ResolveAsync(names[i], RecordType.Srv, token: CancellationToken.None);
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        errors.Add(ex.GetType().Name + ": " + ex.Message);
                        continue;
                    }

                    var now = DateTimeOffset.UtcNow;
                    foreach (var srv in answer?.AnswerRecords.OfType<SrvRecord>() ?? [])
                    {
                        var label = srv.Target.Labels[0].ToLowerInvariant().Split('-');
                        seen.TryAdd($"{label[^2]}-{label[^1]}", now);
                    }
                }

                await Task.Delay(Math.Max(1, 20 - (names.Length / 8)), CancellationToken.None);
            }
        }, CancellationToken.None)));

        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); // the event stream attached
        await Parallel.ForEachAsync(Enumerable.Range(0, apps), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var app = MarathonBench.App($"/fresh/web-{i:D3}", perApp);
            app["portDefinitions"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["port"] = 0 });
            using var created = await bench.Http.PostAsJsonAsync("/v2/apps", app, token);
            created.EnsureSuccessStatusCode();
        });

        await Poll.UntilAsync(() => Task.FromResult(running.Count >= instances && running.Keys.All(seen.ContainsKey)), TimeSpan.FromMinutes(5),
            () => $"every task RUNNING and in DNS ({running.Count} running, {running.Keys.Count(seen.ContainsKey)} of them seen; not seen: {string.Join(", ", running.Keys.Where(k => !seen.ContainsKey(k)).Take(5))}; seen, not running: {string.Join(", ", seen.Keys.Where(k => !running.ContainsKey(k)).Take(5))}; DNS client errors: {errors.Count} {errors.FirstOrDefault()})", TimeSpan.FromMilliseconds(100));
        await stop.CancelAsync();
        await listening;
        await asking;

        var delays = running.Select(kv => (seen[kv.Key] - kv.Value).TotalSeconds).Order().ToList();
        double At(double p) => Percentile.Of(delays, p);
        return new ScenarioResult()
            .Add("tasks", delays.Count)
            .Add("p50_s", At(0.5), 3)
            .Add("p99_s", At(0.99), 3)
            .Add("max_s", At(1), 3)
            .Add("seen_first_in_dns", delays.Count(d => d <= 0))
            .Add("client_errors", errors.Count);
    }
}

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
/// dns-freshness: an app of 1,000 instances (200 with --small) started on simulated agents; for each task, the time
/// from its RUNNING as the framework sees it (Marathon's status_update_event on /v2/events, as a client receives it)
/// to the first DNS answer that has it (its SRV record, asked over TCP every 20 ms). Mesos-DNS' default is 60 s.
/// </summary>
internal sealed class DnsFreshnessScenario : IScenario
{
    public string Name => "dns-freshness";

    public string Description => "RUNNING (as the framework sees it) to DNS answering it: p50/p99 seconds (target p99 <= 1 s)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var (instances, agents) = small ? (200, 20) : (1_000, 100);
        var dnsPort = FreePort.Next();
        await using var bench = await MarathonBench.StartAsync(agents, "cpus:1000;mem:1000000;disk:100000;ports:[31000-32999]", dnsPort: dnsPort);
        // Tasks by the name DNS gives them (agents share port numbers): web-fresh-<hash>-<agent>.marathon.slave.mesos.
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
                        running.TryAdd($"web-fresh-{TaskHash.Of(taskId)}-{DiscoveryRecords.AgentTail(agentId)}.marathon.slave.mesos.", DateTimeOffset.UtcNow);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Done.
            }
        }, CancellationToken.None);

        // DNS' view: the app's SRV records, asked over TCP (the answer outgrows UDP) every 20 ms.
        var client = new DnsClient([IPAddress.Parse(bench.Host)], [new TcpClientTransport(dnsPort)], false, 2000);
        var name = DomainName.Parse("_web-fresh._tcp.marathon.mesos");
        var asking = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var answer = await client.ResolveAsync(name, RecordType.Srv, token: CancellationToken.None);
                var now = DateTimeOffset.UtcNow;
                foreach (var srv in answer?.AnswerRecords.OfType<SrvRecord>() ?? [])
                {
                    seen.TryAdd(srv.Target.ToString().ToLowerInvariant(), now);
                }

                await Task.Delay(20, CancellationToken.None);
            }
        }, CancellationToken.None);

        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); // the event stream attached
        var app = MarathonBench.App("/fresh/web", instances);
        app["portDefinitions"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["port"] = 0 });
        using (var created = await bench.Http.PostAsJsonAsync("/v2/apps", app, cancellationToken))
        {
            created.EnsureSuccessStatusCode();
        }

        await Poll.UntilAsync(() => Task.FromResult(running.Count >= instances && running.Keys.All(seen.ContainsKey)), TimeSpan.FromMinutes(5),
            () => $"every task RUNNING and in DNS ({running.Count} running, {running.Keys.Count(seen.ContainsKey)} of them seen)", TimeSpan.FromMilliseconds(100));
        await stop.CancelAsync();
        await listening;
        await asking;

        var delays = running.Select(kv => (seen[kv.Key] - kv.Value).TotalSeconds).Order().ToList();
        double At(double p) => delays[(int)Math.Min(delays.Count - 1, Math.Ceiling(p * delays.Count) - 1)];
        return new ScenarioResult()
            .Add("tasks", delays.Count)
            .Add("p50_s", At(0.5), 3)
            .Add("p99_s", At(0.99), 3)
            .Add("max_s", At(1), 3)
            .Add("seen_first_in_dns", delays.Count(d => d <= 0));
    }
}

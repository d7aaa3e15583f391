using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Balancing;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Discovery;

/// <summary>marathon-lb's job with a real haproxy: the load balancer process follows the silo and routes curl to Marathon's tasks.</summary>
[Trait("Area", "Discovery")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LoadBalancerTests
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(10);

    [RequiresFact(Component.Haproxy)]
    public async Task Every_generated_configuration_is_valid_for_haproxy()
    {
        foreach (var (name, config) in BalancedApps.Catalogue())
        {
            var (valid, output) = await HaproxyCheck.RunAsync(config.Text);
            Assert.True(valid, $"{name}: haproxy -c refused it:\n{output}\n{config.Text}");
        }
    }

    [RequiresFact(Component.Haproxy)]
    public async Task Curl_through_haproxy_reaches_the_tasks_and_a_rolling_upgrade_fails_no_request()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        await using var lb = await LoadBalancerProcess.StartAsync([silo.BaseAddress]);
        string Diagnostics() => $"\n--- load balancer:\n{lb.OutputTail()}\n--- haproxy.cfg:\n{lb.RunningConfig}";

        const string id = "/prod/web";
        var servicePort = FreePort.Next();
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", App(id, servicePort, "v1"));
        await api.WaitForTasksAsync(id, 2, healthy: 2);
        var direct = $"http://127.0.0.1:{servicePort}/";

        // Both tasks serve through the service port (round robin) and through the shared frontend by virtual host.
        var ports = MarathonApi.Ports(await api.TasksAsync(id)).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        await PollValue.UntilAsync(
            async () =>
            {
                var seen = new HashSet<string>();
                for (var i = 0; i < 6; i++)
                {
                    var (exit, body) = await Curl.GetAsync(direct);
                    if (exit != 0)
                    {
                        return null;
                    }

                    seen.Add(body);
                }

                return seen.Order().SequenceEqual(ports.Select(p => "v1 " + p)) ? seen : null;
            },
            Fresh,
            () => "both tasks answering through haproxy" + Diagnostics());
        Assert.StartsWith("v1 ", (await Curl.GetAsync($"http://127.0.0.1:{lb.HttpPort}/", host: "web.example.test")).Body);
        Assert.Equal(22, (await Curl.GetAsync($"http://127.0.0.1:{lb.HttpPort}/", host: "other.example.test")).Exit); // no backend: 503
        Assert.Equal(0, (await Curl.GetAsync($"http://127.0.0.1:{lb.StatsPort}/_haproxy_health_check")).Exit);

        // The silo shows the configuration a load balancer of these settings runs: the same text.
        var shown = await api.Http.GetStringAsync(
            $"/_haproxy_getconfig?group=external&bind=127.0.0.1&httpPort={lb.HttpPort}&statsPort={lb.StatsPort}&socket={Uri.EscapeDataString(SocketOf(lb))}");
        Assert.Contains($"frontend prod_web_{servicePort}", shown, StringComparison.Ordinal);
        Assert.Equal(2, shown.Split('\n').Count(l => l.TrimStart().StartsWith("server ", StringComparison.Ordinal)));
        var (bad, _, _) = await api.SendAsync(HttpMethod.Get, "/_haproxy_getconfig?bind=not-an-address");
        Assert.Equal(HttpStatusCode.BadRequest, bad);

        // A rolling upgrade while a client loops: no request fails (old tasks drain before their kill), and v2 answers.
        var answers = new ConcurrentQueue<(int Exit, string Body)>();
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                answers.Enqueue(await Curl.GetAsync(direct));
            }
        });
        var upgrade = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/v2/apps{id}", App(id, servicePort, "v2"));
        await api.WaitForDeploymentAsync(upgrade!["deploymentId"]!.GetValue<string>(), TimeSpan.FromSeconds(90));
        await PollValue.UntilAsync(async () => (await Curl.GetAsync(direct)) is (0, var body) && body.StartsWith("v2 ", StringComparison.Ordinal) && lb.RunningConfig.Split('\n').Count(l => l.TrimStart().StartsWith("server ", StringComparison.Ordinal)) == 2 ? body : null, Fresh, () => "only v2 served" + Diagnostics());
        var settle = answers.Count;
        await PollValue.UntilAsync(() => Task.FromResult(answers.Count > settle + 20 ? (object)true : null), Fresh, "the loop going on");
        await stop.CancelAsync();
        await loop;

        var failed = answers.Where(a => a.Exit != 0).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {answers.Count} requests failed during the upgrade: {string.Join("; ", failed.Take(5).Select(f => f.Body))}{Diagnostics()}");
        Assert.True(answers.Count > 50, $"only {answers.Count} requests made");
        Assert.Contains(answers, a => a.Body.StartsWith("v1 ", StringComparison.Ordinal));
        Assert.Contains(answers, a => a.Body.StartsWith("v2 ", StringComparison.Ordinal));
        Assert.DoesNotContain(lb.Output, l => l.Contains("refused the new configuration", StringComparison.Ordinal));

        // Scaled down: the killed task leaves the backend; deleted: the service port is no longer balanced.
        var scale = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/v2/apps{id}?force=true", new JsonObject { ["instances"] = 1 });
        await PollValue.UntilAsync(() => Task.FromResult(lb.RunningConfig.Split('\n').Count(l => l.TrimStart().StartsWith("server ", StringComparison.Ordinal)) == 1 ? (object)true : null), Fresh, () => "one server left" + Diagnostics());
        await api.WaitForDeploymentAsync(scale!["deploymentId"]!.GetValue<string>());
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/apps{id}");
        await PollValue.UntilAsync(() => Task.FromResult(lb.RunningConfig.Contains("frontend prod_web_", StringComparison.Ordinal) ? null : (object)true), Fresh, () => "the app's frontend gone" + Diagnostics());
        await PollValue.UntilAsync(async () => (await Curl.GetAsync(direct)).Exit != 0 ? (object)true : null, Fresh, "the service port closed");
    }

    private static string SocketOf(LoadBalancerProcess lb) =>
        lb.RunningConfig.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("stats socket ", StringComparison.Ordinal)).Split(' ')[2];

    /// <summary>busybox httpd answering "{greeting} {its port}", health-checked, behind the external load balancer with a virtual host.</summary>
    private static JsonObject App(string id, int servicePort, string greeting) => new()
    {
        ["id"] = id,
        ["cmd"] = "mkdir -p www && echo \"$GREETING $PORT0\" > www/index.html && exec busybox httpd -f -p 127.0.0.1:$PORT0 -h www",
        ["cpus"] = 0.05,
        ["mem"] = 16,
        ["instances"] = 2,
        ["env"] = new JsonObject { ["GREETING"] = greeting },
        ["labels"] = new JsonObject { ["HAPROXY_GROUP"] = "external", ["HAPROXY_0_VHOST"] = "web.example.test" },
        ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = servicePort, ["protocol"] = "tcp", ["name"] = "http" }),
        ["healthChecks"] = new JsonArray(new JsonObject
        {
            ["protocol"] = "MESOS_HTTP",
            ["path"] = "/",
            ["portIndex"] = 0,
            ["gracePeriodSeconds"] = 10,
            ["intervalSeconds"] = 1,
            ["timeoutSeconds"] = 1,
            ["maxConsecutiveFailures"] = 3,
            ["delaySeconds"] = 0,
        }),
        ["upgradeStrategy"] = new JsonObject { ["minimumHealthCapacity"] = 1, ["maximumOverCapacity"] = 1 },
    };
}

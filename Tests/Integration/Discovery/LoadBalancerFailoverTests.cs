using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Integration.Master;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Balancing;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.Integration.Discovery;

/// <summary>The load balancer process on a 2-silo cluster: when the silo it follows dies, it follows the other.</summary>
[Trait("Area", "Discovery")]
[Collection(ClusterCollection.Name)]
public sealed class LoadBalancerFailoverTests
{
    [RequiresFact(Component.Postgres, Component.Haproxy)]
    public async Task The_load_balancer_goes_on_with_the_surviving_silo_when_the_one_it_follows_dies()
    {
        await using var master = await MasterCluster.StartAsync(silos: 2, marathon: true);
        await master.AddAgentsAsync(2);
        var silos = master.Cluster.RunningSilos.ToList();
        await using var lb = await LoadBalancerProcess.StartAsync(silos.Select(s => s.Address));
        var servicePort = FreePort.Next();
        using (var api = new MarathonApi(silos[0].Address))
        {
            await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", new JsonObject
            {
                ["id"] = "/lb/web",
                ["cmd"] = "serve",
                ["cpus"] = 0.1,
                ["mem"] = 32,
                ["instances"] = 2,
                ["labels"] = new JsonObject { ["HAPROXY_GROUP"] = "external" },
                ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = servicePort }),
            });
        }

        // What haproxy runs is what the silos generate for this load balancer's settings.
        var before = await RunsWhatTheSiloGeneratesAsync(lb, silos[1].Address, text => text.Contains($"frontend lb_web_{servicePort}", StringComparison.Ordinal) && Servers(text) > 0);

        // The silo it follows (the first) dies; the app changes through the survivor; the load balancer follows it.
        await master.Cluster.KillSiloAsync(silos[0]);
        await master.Cluster.WaitForLivenessToStabilizeAsync();
        await PollValue.UntilAsync(async () =>
        {
            using var api = new MarathonApi(silos[1].Address);
            var (status, body, _) = await api.SendAsync(HttpMethod.Patch, "/v2/apps/lb/web", new JsonObject { ["labels"] = new JsonObject { ["HAPROXY_GROUP"] = "external", ["HAPROXY_0_BALANCE"] = "leastconn" } });
            return status == HttpStatusCode.OK ? body : null; // a 503 while the dead silo is being declared dead: asked again
        }, TimeSpan.FromSeconds(30), "the app changed");
        var after = await RunsWhatTheSiloGeneratesAsync(lb, silos[1].Address, text => text.Contains("balance leastconn", StringComparison.Ordinal) && Servers(text) > 0);
        Assert.NotEqual(before, after);
        Assert.DoesNotContain(lb.Output, l => l.Contains("refused the new configuration", StringComparison.Ordinal));
    }

    private static async Task<string> RunsWhatTheSiloGeneratesAsync(LoadBalancerProcess lb, Uri silo, Func<string, bool> expected)
    {
        using var http = new HttpClient { BaseAddress = silo };
        return await PollValue.UntilAsync(async () =>
        {
            var running = lb.RunningConfig;
            if (!expected(running))
            {
                return null;
            }

            var socket = running.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("stats socket ", StringComparison.Ordinal)).Split(' ')[2];
            var generated = await http.GetStringAsync($"/_haproxy_getconfig?group=external&bind=127.0.0.1&httpPort={lb.HttpPort}&statsPort={lb.StatsPort}&socket={Uri.EscapeDataString(socket)}");
            return generated == running ? running : null;
        }, TimeSpan.FromSeconds(30), () => $"haproxy running the silo's configuration\n--- load balancer:\n{lb.OutputTail()}\n--- running:\n{lb.RunningConfig}");
    }

    private static int Servers(string text) => text.Split('\n').Count(l => l.TrimStart().StartsWith("server ", StringComparison.Ordinal));
}

using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Integration.Master;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Discovery;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.Integration.Discovery;

/// <summary>DNS on a 3-silo cluster: every silo answers for the whole cluster, and the others go on when one dies.</summary>
[Trait("Area", "Discovery")]
[Collection(ClusterCollection.Name)]
public sealed class DnsFailoverTests
{
    [RequiresFact(Component.Postgres, Component.Dig)]
    public async Task Every_silo_answers_for_every_task_and_the_survivors_follow_new_tasks_after_one_dies()
    {
        TestEnvironment.Require(Component.Postgres);
        TestEnvironment.Require(Component.Dig);
        var dnsPort = FreePort.Next();
        await using var master = await MasterCluster.StartAsync(silos: 3, marathon: true, dnsPort: dnsPort);
        await master.AddAgentsAsync(3);
        using (var api = new MarathonApi(master.Gateway))
        {
            await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", new JsonObject
            {
                ["id"] = "/dns/web",
                ["cmd"] = "serve",
                ["cpus"] = 0.1,
                ["mem"] = 32,
                ["instances"] = 3,
                ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = 0, ["name"] = "http" }),
            });
        }

        // Each silo's DNS server (its own address, one port) knows the three tasks, wherever their statuses went.
        foreach (var silo in master.Cluster.RunningSilos)
        {
            await SrvCountAsync(new Dig(silo.Endpoint.Host, dnsPort), 3);
        }

        // The silo the first gateway is on dies: the others answer, and follow the tasks started since.
        var victim = master.Cluster.RunningSilos[0];
        await master.Cluster.KillSiloAsync(victim);
        await master.Cluster.WaitForLivenessToStabilizeAsync();
        var survivors = master.Cluster.RunningSilos.ToList();
        Assert.DoesNotContain(victim, survivors);
        foreach (var silo in survivors)
        {
            await SrvCountAsync(new Dig(silo.Endpoint.Host, dnsPort), 3);
        }

        await PollValue.UntilAsync(async () =>
        {
            using var api = new MarathonApi(survivors[0].Address);
            var (status, body, _) = await api.SendAsync(HttpMethod.Patch, "/v2/apps/dns/web", new JsonObject { ["instances"] = 5 });
            return status == HttpStatusCode.OK ? body : null; // a 503 while the dead silo is being declared dead: asked again
        }, TimeSpan.FromSeconds(30), "the app scaled to 5");
        foreach (var silo in survivors)
        {
            var answer = await SrvCountAsync(new Dig(silo.Endpoint.Host, dnsPort), 5);
            Assert.Equal(5, answer.Additional.Count(r => r.Type == "A"));
            var dig = new Dig(silo.Endpoint.Host, dnsPort);
            await PollValue.UntilAsync(async () => (await dig.AskAsync("master.mesos")) is { Answers.Count: var n } masters && n == survivors.Count ? masters : null,
                TimeSpan.FromSeconds(15), "master.mesos naming the survivors only");
        }
    }

    private static async Task<Dig.Answer> SrvCountAsync(Dig dig, int count)
    {
        Dig.Answer? last = null;
        return await PollValue.UntilAsync(async () =>
        {
            last = await dig.AskAsync("_web-dns._tcp.marathon.mesos", "SRV");
            return last.Answers.Count == count ? last : null;
        }, TimeSpan.FromSeconds(30), () => $"{count} SRV records; last answer:\n{last?.Output}");
    }
}

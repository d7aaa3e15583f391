using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Integration.Master;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using OrleansDcos.Tests.Support.Master;
using Xunit;

namespace OrleansDcos.Tests.Integration.Marathon;

/// <summary>
/// The store refuses the Marathon root's write of a change (a PostgreSQL trigger raises on that row, as a crashed
/// server would fail it): the change is not acknowledged, and — found by the chaos soak — must not be acted on
/// either. Before, the root kept the refused deployment in memory, stopped the app's tasks on its next ping and saved
/// the delete with its next write: an app the client was told nothing about lost its tasks, or half of it stayed.
/// </summary>
[Trait("Area", "Marathon")]
[Trait("Area", "Reliability")]
[Collection(ClusterCollection.Name)]
public sealed class MarathonStoreFailureTests
{
    private const string AppId = "/store/web";

    [RequiresFact(Component.Postgres)]
    public async Task A_delete_the_store_refused_is_not_acted_on_and_the_app_keeps_its_tasks()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync(silos: 1, marathon: true);
        var agents = await master.AddAgentsAsync(2);
        foreach (var agent in agents)
        {
            agent.Behaviour = _ => new SimulatedOutcome(TimeSpan.FromMilliseconds(100), RunFor: null);
        }

        using var api = new MarathonApi(master.Gateway);
        var created = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps",
            new JsonObject { ["id"] = AppId, ["cmd"] = "serve", ["cpus"] = 0.1, ["mem"] = 16, ["instances"] = 2 });
        await api.WaitForDeploymentAsync(created!["deployments"]![0]!["id"]!.GetValue<string>());
        var running = Running(agents);
        Assert.Equal(2, running.Count);

        await using (await StateWritesRefused.StartAsync(master.Cluster.ClusterId, "marathon-root"))
        {
            var (status, body, _) = await api.SendAsync(HttpMethod.Delete, $"/v2/apps{AppId}?force=true");
            Assert.True(status == HttpStatusCode.ServiceUnavailable, $"the delete was answered {(int)status} although its saving failed: {body?.ToJsonString()}");
        }

        // The root pings its deployments every 2 s: over three pings nothing of the refused delete may happen.
        var watchUntil = DateTime.UtcNow.AddSeconds(7);
        while (DateTime.UtcNow < watchUntil)
        {
            Assert.Equal(running.Order(), Running(agents).Order());
            await Task.Delay(100);
        }

        var app = await api.AppAsync(AppId);
        Assert.NotNull(app);
        Assert.Equal(2, app!["instances"]!.GetValue<int>());
        Assert.Empty(await api.DeploymentsAsync());

        // The root holds what is saved (and its version of it): the delete asked again is kept and done.
        var deleted = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/apps{AppId}?force=true");
        await api.WaitForDeploymentAsync(deleted!["deploymentId"]!.GetValue<string>());
        Assert.Null(await api.AppAsync(AppId));
        Assert.Empty(Running(agents));
    }

    private static List<string> Running(IEnumerable<SimulatedAgent> agents) => SimulatedAgent.RunningOf(agents, "store_web.");
}

using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Integration.Master;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using OrleansDcos.Tests.Support.Master;
using Xunit;

namespace OrleansDcos.Tests.Integration.Marathon;

/// <summary>unreachableStrategy with simulated agents: replacement after inactiveAfterSeconds, one instance again when the agent returns.</summary>
[Trait("Area", "Marathon")]
[Collection(ClusterCollection.Name)]
public sealed class MarathonUnreachableTests
{
    [RequiresFact(Component.Postgres)]
    public async Task An_unreachable_instance_is_replaced_after_its_inactive_time_and_the_surplus_goes_when_the_agent_returns()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync(silos: 1, marathon: true);
        var agents = await master.AddAgentsAsync(2);
        using var api = new MarathonApi(master.Gateway);
        const string id = "/edge/web";
        var app = new JsonObject
        {
            ["id"] = id,
            ["cmd"] = "serve",
            ["cpus"] = 0.5,
            ["mem"] = 64,
            ["unreachableStrategy"] = new JsonObject { ["inactiveAfterSeconds"] = 1, ["expungeAfterSeconds"] = 300 },
        };
        var created = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", app);
        await api.WaitForDeploymentAsync(created!["deployments"]![0]!["id"]!.GetValue<string>());
        var first = Assert.Single(Running(agents));
        var lost = agents.Single(a => a.Tasks.ContainsKey(first));

        // Its agent goes silent: UNREACHABLE after the master's bound, replaced one second later on the other agent.
        lost.Silence();
        await Poll.UntilAsync(async () =>
        {
            var tasks = await api.TasksAsync(id);
            return tasks.Any(t => t!["id"]!.GetValue<string>() == first && t["state"]!.GetValue<string>() == "TASK_UNREACHABLE")
                && Running(agents.Where(a => a != lost)).Count == 1;
        }, TimeSpan.FromSeconds(30), "the unreachable instance is kept and a replacement runs elsewhere");

        // The agent comes back with its task still running: one instance is wanted, so one of the two goes.
        lost.Speak();
        await Poll.UntilAsync(() => Task.FromResult(Running(agents).Count == 1 && agents.All(a => a.Connected)), TimeSpan.FromSeconds(30),
            () => $"exactly one instance runs again (running: {string.Join(", ", Running(agents))})");
        await Poll.UntilAsync(async () => (await api.TasksAsync(id)).Count == 1, TimeSpan.FromSeconds(15), "Marathon shows one instance");
    }

    private static List<string> Running(IEnumerable<SimulatedAgent> agents) => SimulatedAgent.RunningOf(agents, "edge_web.");
}

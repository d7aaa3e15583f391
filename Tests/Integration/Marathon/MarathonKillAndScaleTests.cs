using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Integration.Master;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.Integration.Marathon;

/// <summary>
/// Killing tasks with <c>scale=true</c> is a deployment, as in Marathon: answered with its id (body and
/// <c>Marathon-Deployment-Id</c>), one new version, the named tasks gone and not replaced, and refused with 409 naming
/// the deployment that holds the app, before anything is killed.
/// </summary>
[Trait("Area", "Marathon")]
[Collection(ClusterCollection.Name)]
public sealed class MarathonKillAndScaleTests
{
    [RequiresFact(Component.Postgres)]
    public async Task Kill_and_scale_is_a_deployment_that_kills_the_named_tasks_and_is_refused_while_the_app_is_locked()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync(marathon: true);
        await master.AddAgentsAsync(1);
        using var api = new MarathonApi(master.Gateway);
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", new JsonObject { ["id"] = "/ks", ["cmd"] = "serve", ["cpus"] = 0.5, ["mem"] = 32, ["instances"] = 3 });
        await api.WaitForTasksAsync("/ks", 3);
        var versionsBefore = (await Versions(api)).Count;

        // One task by path.
        var victim = MarathonApi.Ids(await api.TasksAsync("/ks"))[0];
        var (status, body, response) = await api.SendAsync(HttpMethod.Delete, $"/v2/apps/ks/tasks/{victim}?scale=true");
        Assert.Equal(HttpStatusCode.OK, status);
        var deploymentId = body!["deploymentId"]!.GetValue<string>();
        Assert.Equal(deploymentId, response.Headers.GetValues("Marathon-Deployment-Id").Single());
        Assert.NotNull(body["version"]);
        await api.WaitForDeploymentAsync(deploymentId);
        await api.WaitForTasksAsync("/ks", 2);
        Assert.DoesNotContain(victim, MarathonApi.Ids(await api.TasksAsync("/ks")));
        var app = (await api.AppAsync("/ks"))!;
        Assert.Equal(2, app["instances"]!.GetValue<int>());
        var versions = await Versions(api);
        Assert.Equal(versionsBefore + 1, versions.Count);
        Assert.Equal(body["version"]!.GetValue<string>(), versions[0]);

        // One by POST /v2/tasks/delete.
        var second = MarathonApi.Ids(await api.TasksAsync("/ks"))[0];
        var bulk = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/v2/tasks/delete?scale=true", new JsonObject { ["ids"] = new JsonArray(second) });
        await api.WaitForDeploymentAsync(bulk!["deploymentId"]!.GetValue<string>());
        await api.WaitForTasksAsync("/ks", 1);
        Assert.Equal(1, (await api.AppAsync("/ks"))!["instances"]!.GetValue<int>());

        // Locked by a deployment that cannot finish (nothing offers 100 cpus): refused, naming it, and nothing killed.
        var stuck = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/v2/apps/ks", new JsonObject { ["cpus"] = 100 });
        var last = MarathonApi.Ids(await api.TasksAsync("/ks")).Single();
        var (lockedStatus, locked, _) = await api.SendAsync(HttpMethod.Delete, $"/v2/apps/ks/tasks/{last}?scale=true");
        Assert.Equal(HttpStatusCode.Conflict, lockedStatus);
        Assert.Equal(stuck!["deploymentId"]!.GetValue<string>(), locked!["deployments"]![0]!["id"]!.GetValue<string>());
        var task = (await api.TasksAsync("/ks")).Single()!;
        Assert.Equal(last, task["id"]!.GetValue<string>());
        Assert.Equal("TASK_RUNNING", task["state"]!.GetValue<string>());
    }

    private static async Task<List<string>> Versions(MarathonApi api) =>
        JsonNode.Parse(await api.Http.GetStringAsync("/v2/apps/ks/versions"))!["versions"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Marathon.Validation;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Silo.Marathon;
using Xunit;

namespace OrleansDcos.Tests.Unit.Marathon;

/// <summary>The app JSON written straight to the response: the definition's own JSON with counts, deployments and tasks added.</summary>
[Trait("Area", "Marathon")]
public sealed class MarathonJsonTests
{
    private static readonly AppDefinition Web = AppReader.ReadOne(JsonNode.Parse("""
        {"id": "/prod/web", "cmd": "httpd -f -p $PORT0", "instances": 3, "labels": {"tier": "front \"quoted\""},
         "env": {"GREETING": "h\u00e9llo"}, "portDefinitions": [{"port": 0}], "healthChecks": [{"protocol": "HTTP", "path": "/"}]}
        """));

    private static readonly AppDefinition Worker = AppReader.ReadOne(JsonNode.Parse("""{"id": "/worker", "cmd": "sleep 100"}"""));

    [Fact]
    public async Task A_listing_is_each_definition_with_its_counts_and_deployments()
    {
        var json = await RenderAsync(MarathonJson.Apps(
        [
            new MarathonJson.AppEntry(Web, new AppCounts(1, 2, 2, 0), ["d1", "d2"]),
            new MarathonJson.AppEntry(Worker, new AppCounts(0, 0, 0, 0), []),
        ]));

        var apps = json["apps"]!.AsArray();
        Assert.Equal(2, apps.Count);
        var web = apps[0]!.AsObject();
        foreach (var (name, value) in JsonSerializer.SerializeToNode(Web)!.AsObject())
        {
            Assert.True(JsonNode.DeepEquals(value, web[name]), $"property {name} differs");
        }

        Assert.Equal(1, web["tasksStaged"]!.GetValue<int>());
        Assert.Equal(2, web["tasksRunning"]!.GetValue<int>());
        Assert.Equal(2, web["tasksHealthy"]!.GetValue<int>());
        Assert.Equal(0, web["tasksUnhealthy"]!.GetValue<int>());
        Assert.Equal(["d1", "d2"], web["deployments"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
        Assert.Null(web["tasks"]);
        Assert.Equal("/worker", apps[1]!["id"]!.GetValue<string>());
        Assert.Empty(apps[1]!["deployments"]!.AsArray());
    }

    [Fact]
    public async Task An_empty_listing_is_an_empty_array()
    {
        var json = await RenderAsync(MarathonJson.Apps([]));
        Assert.Empty(json["apps"]!.AsArray());
    }

    [Fact]
    public async Task One_app_carries_its_tasks_and_last_failure_wrapped_or_bare()
    {
        var running = Instance("prod_web.1", TaskState.TASK_RUNNING, healthy: true);
        var killing = Instance("prod_web.2", TaskState.TASK_RUNNING, healthy: null) with { Killing = true };
        var failure = new TaskFailureInfo("/prod/web", "h1", "exited 1", "TASK_FAILED", "prod_web.0", "2026-11-22T00:00:00.000Z", "v1", "a1");
        var entry = new MarathonJson.AppEntry(Web, AppCounts.Of(Web, [running, killing]), [], [running, killing], failure);

        var wrapped = (await RenderAsync(MarathonJson.App("app", entry)))["app"]!;
        var bare = await RenderAsync(MarathonJson.App(null, entry, StatusCodes.Status201Created));
        foreach (var app in new[] { wrapped, bare })
        {
            var tasks = app["tasks"]!.AsArray();
            Assert.Equal("TASK_RUNNING", tasks[0]!["state"]!.GetValue<string>());
            Assert.True(tasks[0]!["healthCheckResults"]![0]!["alive"]!.GetValue<bool>());
            Assert.Equal("TASK_KILLING", tasks[1]!["state"]!.GetValue<string>());
            Assert.Empty(tasks[1]!["healthCheckResults"]!.AsArray());
            Assert.Equal("h1", tasks[0]!["host"]!.GetValue<string>());
            Assert.Equal("exited 1", app["lastTaskFailure"]!["message"]!.GetValue<string>());
            Assert.Equal(2, app["tasksRunning"]!.GetValue<int>());
            Assert.Equal(1, app["tasksHealthy"]!.GetValue<int>());
        }
    }

    [Fact]
    public void Counts_take_health_only_from_apps_with_a_health_check()
    {
        InstanceRecord[] instances =
        [
            Instance("a.1", TaskState.TASK_STAGING, null),
            Instance("a.2", TaskState.TASK_STARTING, null),
            Instance("a.3", TaskState.TASK_RUNNING, true),
            Instance("a.4", TaskState.TASK_RUNNING, false),
            Instance("a.5", TaskState.TASK_UNREACHABLE, null),
        ];

        Assert.True(new AppCounts(2, 2, 1, 1).SameAs(AppCounts.Of(Web, instances, sequence: 7)));
        Assert.True(new AppCounts(2, 2, 0, 1).SameAs(AppCounts.Of(Worker, instances)));
        Assert.False(new AppCounts(2, 2, 0, 1).SameAs(null));
    }

    private static InstanceRecord Instance(string id, TaskState state, bool? healthy) =>
        new(id, "/prod/web", "a1", "h1", [31000], [10000], "v1", "v1", "2026-11-22T00:00:00.000Z", null, state, healthy, false, "", Resources.Parse("cpus:1"), "*");

    private static async Task<JsonNode> RenderAsync(IResult result)
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        await context.Response.BodyWriter.FlushAsync();
        return JsonNode.Parse(body.ToArray())!;
    }
}

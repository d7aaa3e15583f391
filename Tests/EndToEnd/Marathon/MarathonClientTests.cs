using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Client;
using OrleansDcos.Client.Marathon;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Marathon;

/// <summary>The typed .NET client of Marathon's API, and <c>/metrics</c>, against a silo process with its embedded agent.</summary>
[Trait("Area", "Marathon")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MarathonClientTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_typed_client_deploys_scales_kills_restarts_follows_events_and_removes_an_app()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        var marathon = new MarathonClient(http);
        const string id = "/client/sleeper";

        using var follow = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var events = new List<MarathonEventMessage>();
        var running = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            await foreach (var e in marathon.EventsAsync([MarathonEventStream.StatusUpdate, MarathonEventStream.DeploymentSuccess], cancellationToken: follow.Token))
            {
                lock (events)
                {
                    events.Add(e);
                }

                if (e.EventType == MarathonEventStream.StatusUpdate && e.Data["taskStatus"]?.GetValue<string>() == "TASK_RUNNING")
                {
                    running.TrySetResult();
                }
            }
        });

        var created = await marathon.CreateAppAsync(new JsonObject { ["id"] = id, ["cmd"] = "sleep 1000", ["cpus"] = 0.05, ["mem"] = 16, ["instances"] = 2 });
        Assert.Equal(id, created.Definition.Id);
        Assert.Equal(2, created.Definition.Instances);
        Assert.Equal(16, created.Definition.Mem);
        foreach (var deployment in created.Deployments)
        {
            await marathon.WaitForDeploymentAsync(deployment, Deadline);
        }

        await Poll.UntilAsync(async () => (await marathon.GetAppAsync(id))!.TasksRunning == 2, Deadline, "two instances run");
        await running.Task.WaitAsync(Deadline);

        var refused = await Assert.ThrowsAsync<DcosApiException>(() => marathon.CreateAppAsync(new JsonObject { ["id"] = id, ["cmd"] = "sleep 1" }));
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        var invalid = await Assert.ThrowsAsync<DcosApiException>(() => marathon.CreateAppAsync(new JsonObject { ["id"] = "/client/bad", ["cmd"] = "x", ["cpus"] = -1 }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Status);
        Assert.Contains(invalid.Error.Details, d => d.Path == "/cpus");

        // Scale through the client; the app, its tasks and the listing agree.
        await marathon.WaitForDeploymentAsync((await marathon.ScaleAppAsync(id, 3)).DeploymentId, Deadline);
        await Poll.UntilAsync(async () => (await marathon.GetAppAsync(id))!.TasksRunning == 3, Deadline, "three instances run");
        var app = (await marathon.GetAppAsync(id))!;
        Assert.Equal(3, app.Tasks!.Count);
        Assert.All(app.Tasks, t => Assert.Equal("TASK_RUNNING", t.State));
        Assert.Single(await marathon.ListAppsAsync(idContains: "client/sleep"));
        Assert.Empty(await marathon.ListAppsAsync(idContains: "nothing-like-it"));
        Assert.Equal(3, (await marathon.GetAppTasksAsync(id)).Count);
        Assert.Contains((await marathon.ListTasksAsync("running")).Select(t => t.AppId), a => a == id);

        // Kill one with scale: two remain and the definition says so.
        var victim = app.Tasks[0].Id;
        await marathon.WaitForDeploymentAsync((await marathon.KillTasksAndScaleAsync([victim])).DeploymentId, Deadline);
        await Poll.UntilAsync(async () => (await marathon.GetAppAsync(id)) is { TasksRunning: 2, Definition.Instances: 2 } a
            && a.Tasks!.All(t => t.Id != victim), Deadline, "the killed task is gone and the app scaled to 2");

        // Restart replaces both; versions list the scale and the restart; an old version can be read back.
        var before = (await marathon.GetAppTasksAsync(id)).Select(t => t.Id).ToHashSet();
        await marathon.WaitForDeploymentAsync((await marathon.RestartAppAsync(id)).DeploymentId, Deadline);
        await Poll.UntilAsync(async () => (await marathon.GetAppTasksAsync(id)) is { Count: 2 } tasks && tasks.All(t => !before.Contains(t.Id) && t.State == "TASK_RUNNING"),
            Deadline, "both instances were replaced");
        var versions = await marathon.GetAppVersionsAsync(id);
        Assert.True(versions.Count >= 3, string.Join(", ", versions));
        Assert.Equal(2, (await marathon.GetAppVersionAsync(id, versions[^1])).Instances);
        Assert.Equal(id, (await marathon.GetAppVersionAsync(id, versions[0])).Id);

        // The event stream saw the launches and the deployments end.
        lock (events)
        {
            Assert.Contains(events, e => e.EventType == MarathonEventStream.DeploymentSuccess);
            Assert.All(events, e => Assert.NotNull(e.Id));
            Assert.Equal(events.Select(e => e.Id).Order(), events.Select(e => e.Id));
        }

        await marathon.WaitForDeploymentAsync((await marathon.DeleteAppAsync(id)).DeploymentId, Deadline);
        Assert.Null(await marathon.GetAppAsync(id));
        await follow.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader);
    }

    [Fact]
    public async Task Metrics_count_apps_groups_instances_offers_updates_and_requests()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        var marathon = new MarathonClient(http);

        var empty = await marathon.GetMetricsAsync();
        Assert.Equal(0, empty.Gauges["marathon.apps.active.gauge"]);
        Assert.Equal(0, empty.Gauges["marathon.instances.running.gauge"]);

        await marathon.PutGroupAsync(JsonNode.Parse("""
            {"id": "/metrics", "apps": [
              {"id": "/metrics/a/one", "cmd": "sleep 1000", "cpus": 0.05, "mem": 16, "instances": 2},
              {"id": "/metrics/b", "cmd": "sleep 1000", "cpus": 0.05, "mem": 16, "instances": 1}]}
            """)!.AsObject());
        var metrics = await PollValue.UntilAsync(async () =>
            await marathon.GetMetricsAsync() is var m && m.Gauges["marathon.instances.running.gauge"] == 3 && m.Gauges["marathon.deployments.active.gauge"] == 0 ? m : null,
            Deadline, "three instances running and counted");
        Assert.Equal(2, metrics.Gauges["marathon.apps.active.gauge"]);
        Assert.Equal(3, metrics.Gauges["marathon.groups.active.gauge"]); // "/", "/metrics", "/metrics/a"
        Assert.Equal(0, metrics.Gauges["marathon.instances.staged.gauge"]);
        Assert.Equal(1, metrics.Gauges["marathon.mesos.subscribed.gauge"]);
        Assert.True(metrics.Counters[MarathonMetricNames.OffersIncoming] >= 1);
        Assert.True(metrics.Counters[MarathonMetricNames.OffersUsed] >= 1);
        Assert.Equal(3, metrics.Counters[MarathonMetricNames.TasksLaunched]);
        Assert.True(metrics.Counters["marathon.mesos.task-updates.task-running.counter"] >= 3);
        Assert.True(metrics.Counters["marathon.http.responses.2xx.counter"] >= 1);

        using (var missing = await http.GetAsync("/v2/apps/metrics/nothing"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        // Counted once the answer is complete, which may be just after the client has it.
        await Poll.UntilAsync(async () => (await marathon.GetMetricsAsync()).Counters["marathon.http.responses.4xx.counter"] >= 1, Deadline, "the 404 counted");
        var prometheus = await http.GetStringAsync("/metrics/prometheus");
        Assert.Contains("# TYPE marathon_apps_active gauge\nmarathon_apps_active 2\n", prometheus);
        Assert.Contains("marathon_mesos_task_updates_task_running_total ", prometheus);
    }
}

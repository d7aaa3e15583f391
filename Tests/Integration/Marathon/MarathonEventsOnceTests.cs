using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Tests.Integration.Master;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.Integration.Marathon;

/// <summary>The event bus says each change once: a status update that repeats what an instance already is publishes nothing.</summary>
[Trait("Area", "Marathon")]
[Collection(ClusterCollection.Name)]
public sealed class MarathonEventsOnceTests
{
    [RequiresFact(Component.Postgres)]
    public async Task A_repeated_status_update_publishes_no_second_status_update_event()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync(marathon: true);
        var agents = await master.AddAgentsAsync(1);
        using var api = new MarathonApi(master.Gateway);
        var sse = await SseCollector.AttachAsync(master.Gateway);

        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", new JsonObject { ["id"] = "/once", ["cmd"] = "serve", ["cpus"] = 0.5, ["mem"] = 32 });
        await api.WaitForTasksAsync("/once", 1);
        var taskId = MarathonApi.Ids(await api.TasksAsync("/once")).Single();

        // What a daemon's resend after a silo failover brings: RUNNING again, twice, for a task already running.
        var again = new TaskStatusEvent(agents[0].AgentId, new TaskStatusUpdate(taskId, MarathonKeys.FrameworkId, TaskState.TASK_RUNNING, Guid.Empty, 1), MasterStreams.SourceAgent);
        var app = master.Grains.GetGrain<IAppGrain>("/once");
        await app.StatusUpdates([again, again]);
        await app.StatusUpdates([again]);

        // A real change after them: events are ordered, so anything the repeats published comes before it.
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/apps/once/tasks/{taskId}");
        await Poll.UntilAsync(() => Task.FromResult(StatusEvents(sse.Events, taskId).Contains("TASK_KILLED")), TimeSpan.FromSeconds(20), "the kill's event");
        await sse.DisposeAsync();

        Assert.Equal(1, StatusEvents(sse.Events, taskId).Count(s => s == "TASK_RUNNING"));
        Assert.Equal(1, sse.Events.Count(e => e.Type == "instance_changed_event" && e.Data["instanceId"]!.GetValue<string>() == taskId
            && e.Data["condition"]!.GetValue<string>() == "Running"));
    }

    private static List<string> StatusEvents(IReadOnlyList<SseEvent> events, string taskId) => events
        .Where(e => e.Type == "status_update_event" && e.Data["taskId"]!.GetValue<string>() == taskId)
        .Select(e => e.Data["taskStatus"]!.GetValue<string>())
        .ToList();
}

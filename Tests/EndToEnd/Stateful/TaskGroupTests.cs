using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Master;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Stateful;

/// <summary>
/// Task groups (Mesos' LAUNCH_GROUP, what a pod runs as) on a silo process and its embedded agent: the tasks of a group
/// share a directory (SANDBOX_PATH volumes of type PARENT) and the agent's network; one that fails takes its group with it.
/// </summary>
[Trait("Area", "Stateful")]
public sealed class TaskGroupTests
{
    private static JsonObject Task(JsonObject offer, string id, string command, double cpus = 0.1) => new()
    {
        ["name"] = id,
        ["task_id"] = new JsonObject { ["value"] = id },
        ["agent_id"] = offer["agent_id"]!.DeepClone(),
        ["resources"] = RawFramework.Scalars(cpus, 16),
        ["command"] = new JsonObject { ["value"] = command },
        ["container"] = new JsonObject
        {
            ["type"] = "MESOS",
            ["volumes"] = new JsonArray(new JsonObject
            {
                ["container_path"] = "shared",
                ["mode"] = "RW",
                ["source"] = new JsonObject { ["type"] = "SANDBOX_PATH", ["sandbox_path"] = new JsonObject { ["type"] = "PARENT", ["path"] = "shared-volume" } },
            }),
        },
    };

    private static JsonObject Group(params JsonObject[] tasks) => new()
    {
        ["type"] = "LAUNCH_GROUP",
        ["launch_group"] = new JsonObject
        {
            ["executor"] = new JsonObject { ["type"] = "DEFAULT", ["executor_id"] = new JsonObject { ["value"] = "default" } },
            ["task_group"] = new JsonObject { ["tasks"] = new JsonArray(tasks) },
        },
    };

    [Fact]
    public async Task The_tasks_of_a_group_share_a_volume_and_localhost_and_one_that_fails_takes_the_group_with_it()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        await using var framework = new RawFramework(silo.BaseAddress);
        await framework.SubscribeAsync("groups");
        var offer = await framework.NextOfferAsync(TimeSpan.FromSeconds(30));
        var port = RawFramework.FirstPort(offer);

        // The writer serves what it wrote on localhost; the reader reads the shared file and asks the writer.
        var writer = Task(offer, "writer", $"echo from-writer > shared/note && exec busybox httpd -f -p 127.0.0.1:{port} -h shared");
        writer["resources"] = RawFramework.ScalarsAndPort(0.1, 32, port);
        var reader = Task(offer, "reader",
            $"while [ ! -f shared/note ]; do sleep 0.1; done; cat shared/note; until curl -s http://127.0.0.1:{port}/note; do sleep 0.2; done; exec sleep 600");
        // A read-only mount of the same directory: bind-mounted (not a link) and not writable.
        var checker = Task(offer, "checker", "until [ -f shared/note ]; do sleep 0.1; done; if [ -L shared ]; then echo link; else echo mount; fi; "
            + "if ( echo x > shared/attempt ) 2>/dev/null; then echo writable; else echo read-only; fi; exec sleep 600");
        checker["container"]!["volumes"]![0]!["mode"] = "RO";
        var accepted = await framework.AcceptAsync(offer, new JsonArray(Group(writer, reader, checker)));
        Assert.True(accepted.Status == HttpStatusCode.Accepted, $"{(int)accepted.Status} {accepted.Body}");
        await framework.WaitForStateAsync("writer", "TASK_RUNNING", TimeSpan.FromSeconds(30));
        await framework.WaitForStateAsync("reader", "TASK_RUNNING", TimeSpan.FromSeconds(30));
        var stdout = await PollValue.UntilAsync(async () =>
        {
            var data = JsonNode.Parse(await http.GetStringAsync("/api/v1/tasks/reader/logs/stdout"))!["data"]!.GetValue<string>();
            return data.Split('\n').Count(l => l == "from-writer") == 2 ? data : null;
        }, TimeSpan.FromSeconds(30), "the reader to print the shared file twice: read from the volume and over localhost");
        Assert.Equal(2, stdout.Split('\n').Count(l => l == "from-writer"));
        var checked_ = await PollValue.UntilAsync(async () =>
        {
            var data = JsonNode.Parse(await http.GetStringAsync("/api/v1/tasks/checker/logs/stdout"))!["data"]!.GetValue<string>();
            return data.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2 ? data : null;
        }, TimeSpan.FromSeconds(30), "the checker's verdict");
        Assert.Equal(["mount", "read-only"], checked_.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // A group whose one task fails: its sibling is killed.
        var next = await framework.NextOfferAsync(TimeSpan.FromSeconds(30));
        var failing = await framework.AcceptAsync(next, new JsonArray(Group(
            Task(next, "steady", "exec sleep 600"),
            Task(next, "crasher", "sleep 1; exit 3"))));
        Assert.True(failing.Status == HttpStatusCode.Accepted, $"{(int)failing.Status} {failing.Body}");
        await framework.WaitForStateAsync("crasher", "TASK_FAILED", TimeSpan.FromSeconds(30));
        await framework.WaitForStateAsync("steady", "TASK_KILLED", TimeSpan.FromSeconds(30));
        Assert.Contains(framework.Updates("steady"), u => u["update"]!["status"]!["message"]?.GetValue<string>().Contains("crasher", StringComparison.Ordinal) == true);
        Assert.Equal("TASK_RUNNING", framework.TaskStates["writer"]);
    }
}

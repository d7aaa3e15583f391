using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Master;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Stateful;

/// <summary>
/// Dynamic reservations and persistent volumes at the Mesos level, on a silo process and its embedded agent: an operator
/// reserves for a role; only that role's framework is offered the reservation; it makes a volume, runs a task that
/// writes into it, destroys the volume; the operator gives the reservation back.
/// </summary>
[Trait("Area", "Stateful")]
public sealed class ReservationTests
{
    private static JsonObject Scalar(string name, double value, string? role = null, JsonObject? disk = null)
    {
        var resource = new JsonObject { ["name"] = name, ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = value } };
        if (role is not null)
        {
            resource["reservations"] = new JsonArray(new JsonObject
            {
                ["type"] = "DYNAMIC",
                ["role"] = role,
                ["principal"] = "ops",
                ["labels"] = new JsonObject { ["labels"] = new JsonArray(new JsonObject { ["key"] = "owner", ["value"] = "dba team" }) },
            });
        }

        if (disk is not null)
        {
            resource["disk"] = disk;
        }

        return resource;
    }

    private static JsonObject Volume(string id) => new()
    {
        ["persistence"] = new JsonObject { ["id"] = id, ["principal"] = "ops" },
        ["volume"] = new JsonObject { ["container_path"] = "data", ["mode"] = "RW" },
    };

    private static async Task<(HttpStatusCode, string)> FormAsync(HttpClient http, string path, string agentId, string field, JsonArray resources)
    {
        using var answer = await http.PostAsync(path, new FormUrlEncodedContent([new("slaveId", agentId), new(field, resources.ToJsonString())]));
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }

    private static async Task<JsonObject> SlaveAsync(HttpClient http) =>
        JsonNode.Parse(await http.GetStringAsync("/master/slaves"))!["slaves"]!.AsArray().Single()!.AsObject();

    private static bool HasRole(JsonObject offer, string role) =>
        offer["resources"]!.AsArray().Any(r => r!["role"]?.GetValue<string>() == role);

    [Fact]
    public async Task A_reservation_goes_only_to_its_role_whose_framework_makes_uses_and_destroys_a_volume_on_it()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        var agentId = (await PollValue.UntilAsync(async () => JsonNode.Parse(await http.GetStringAsync("/master/slaves"))!["slaves"]!.AsArray().FirstOrDefault(),
            TimeSpan.FromSeconds(30), "the embedded agent"))!["id"]!.GetValue<string>();
        var reserved = new JsonArray(Scalar("cpus", 0.5, "db"), Scalar("mem", 64, "db"), Scalar("disk", 20, "db"));

        // Refused as Mesos refuses: more than the agent has (409), not JSON (400), an unknown agent (404), no role (400).
        Assert.Equal(HttpStatusCode.Conflict, (await FormAsync(http, "/master/reserve", agentId, "resources", new JsonArray(Scalar("cpus", 1000, "db")))).Item1);
        using (var notJson = await http.PostAsync("/master/reserve", new FormUrlEncodedContent([new("slaveId", agentId), new("resources", "[{")])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await FormAsync(http, "/master/reserve", "no-such-agent", "resources", reserved.DeepClone().AsArray())).Item1);
        Assert.Equal(HttpStatusCode.BadRequest, (await FormAsync(http, "/master/reserve", agentId, "resources", new JsonArray(Scalar("cpus", 0.5)))).Item1);

        var (status, body) = await FormAsync(http, "/master/reserve", agentId, "resources", reserved.DeepClone().AsArray());
        Assert.True(status == HttpStatusCode.Accepted, $"{(int)status} {body}");
        var slave = await SlaveAsync(http);
        Assert.Equal(0.5, slave["reserved_resources"]!["db"]!["cpus"]!.GetValue<double>());
        Assert.Equal("DYNAMIC", slave["reserved_resources_full"]!["db"]![0]!["reservations"]![0]!["type"]!.GetValue<string>());

        // Another role's framework is never offered the reservation.
        await using (var web = new RawFramework(silo.BaseAddress))
        {
            await web.SubscribeAsync("web", ["web"]);
            var offer = await web.NextOfferAsync(TimeSpan.FromSeconds(30));
            Assert.False(HasRole(offer, "db"), offer.ToJsonString());
            await web.CallOkAsync("TEARDOWN");
        }

        await using var db = new RawFramework(silo.BaseAddress);
        await db.SubscribeAsync("db", ["db"]);
        var withReservation = await db.OfferWhereAsync(o => HasRole(o, "db"), "with the db reservation", TimeSpan.FromSeconds(30));
        var volume = Scalar("disk", 20, "db", Volume("pg-1"));
        var task = new JsonObject
        {
            ["name"] = "writer",
            ["task_id"] = new JsonObject { ["value"] = "writer" },
            ["agent_id"] = withReservation["agent_id"]!.DeepClone(),
            ["resources"] = new JsonArray(Scalar("cpus", 0.5, "db"), Scalar("mem", 64, "db"), volume.DeepClone()),
            ["command"] = new JsonObject { ["value"] = "echo written > data/hello && exec sleep 600" },
        };
        var accepted = await db.AcceptAsync(withReservation, new JsonArray(
            new JsonObject { ["type"] = "CREATE", ["create"] = new JsonObject { ["volumes"] = new JsonArray(volume.DeepClone()) } },
            new JsonObject { ["type"] = "LAUNCH", ["launch"] = new JsonObject { ["task_infos"] = new JsonArray(task) } }));
        Assert.True(accepted.Status == HttpStatusCode.Accepted, $"{(int)accepted.Status} {accepted.Body}");
        await db.WaitForStateAsync("writer", "TASK_RUNNING", TimeSpan.FromSeconds(30));
        var directory = Path.Combine(silo.DataDirectory, "agent", "volumes", "roles", "db", "pg-1");
        await Poll.UntilAsync(() => Task.FromResult(File.Exists(Path.Combine(directory, "hello"))), TimeSpan.FromSeconds(20), $"{directory}/hello written by the task");
        Assert.Equal("written", (await File.ReadAllTextAsync(Path.Combine(directory, "hello"))).Trim());

        // In use: the operator cannot destroy it.
        Assert.Equal(HttpStatusCode.Conflict, (await FormAsync(http, "/master/destroy-volumes", agentId, "volumes", new JsonArray(volume.DeepClone()))).Item1);

        // The task ends; the volume stays, and comes back in the role's offers; the framework destroys it.
        await db.CallOkAsync("KILL", new JsonObject { ["task_id"] = new JsonObject { ["value"] = "writer" } });
        await db.WaitForStateAsync("writer", "TASK_KILLED", TimeSpan.FromSeconds(30));
        Assert.True(Directory.Exists(directory));
        await db.CallOkAsync("REVIVE");
        var withVolume = await db.OfferWhereAsync(o => o["resources"]!.AsArray().Any(r => r!["disk"]?["persistence"]?["id"]?.GetValue<string>() == "pg-1"),
            "with volume pg-1", TimeSpan.FromSeconds(30));
        var destroyed = await db.AcceptAsync(withVolume, new JsonArray(new JsonObject { ["type"] = "DESTROY", ["destroy"] = new JsonObject { ["volumes"] = new JsonArray(volume.DeepClone()) } }));
        Assert.True(destroyed.Status == HttpStatusCode.Accepted, $"{(int)destroyed.Status} {destroyed.Body}");
        await Poll.UntilAsync(() => Task.FromResult(!Directory.Exists(directory)), TimeSpan.FromSeconds(20), $"{directory} deleted");

        // The operator gives the reservation back (the framework holds no offer of it then).
        await db.CallOkAsync("TEARDOWN");
        await Poll.UntilAsync(async () => (await FormAsync(http, "/master/unreserve", agentId, "resources", reserved.DeepClone().AsArray())).Item1 == HttpStatusCode.Accepted,
            TimeSpan.FromSeconds(20), "the reservation unreserved");
        Assert.Empty((await SlaveAsync(http))["reserved_resources"]!.AsObject());
    }

    [Fact]
    public async Task The_v1_operator_calls_reserve_and_unreserve_and_a_reservation_survives_a_silo_restart()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        var agentId = (await PollValue.UntilAsync(async () => JsonNode.Parse(await http.GetStringAsync("/master/slaves"))!["slaves"]!.AsArray().FirstOrDefault(),
            TimeSpan.FromSeconds(30), "the embedded agent"))!["id"]!.GetValue<string>();
        async Task<HttpStatusCode> CallAsync(string type, string field, string list, JsonArray resources)
        {
            using var answer = await http.PostAsync("/api/v1", new StringContent(new JsonObject
            {
                ["type"] = type,
                [field] = new JsonObject { ["agent_id"] = new JsonObject { ["value"] = agentId }, [list] = resources },
            }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            return answer.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Accepted, await CallAsync("RESERVE_RESOURCES", "reserve_resources", "resources", new JsonArray(Scalar("cpus", 0.25, "batch"), Scalar("disk", 5, "batch"))));
        Assert.Equal(HttpStatusCode.Accepted, await CallAsync("CREATE_VOLUMES", "create_volumes", "volumes", new JsonArray(Scalar("disk", 5, "batch", Volume("scratch")))));
        var directory = Path.Combine(silo.DataDirectory, "agent", "volumes", "roles", "batch", "scratch");
        await Poll.UntilAsync(() => Task.FromResult(Directory.Exists(directory)), TimeSpan.FromSeconds(20), $"{directory} made by the daemon");

        await silo.RestartAsync(TimeSpan.Zero);
        await Poll.UntilAsync(async () =>
        {
            var slaves = JsonNode.Parse(await http.GetStringAsync("/master/slaves"))!["slaves"]!.AsArray();
            // Back, and its agent connected again: a change of its resources needs the agent there (409 until then).
            return slaves.Count == 1 && slaves[0]!["reserved_resources"]?["batch"]?["cpus"]?.GetValue<double>() == 0.25 && slaves[0]!["active"]!.GetValue<bool>();
        }, TimeSpan.FromSeconds(60), () => $"the reservation back after the restart{Environment.NewLine}{silo.OutputTail(40)}");
        Assert.True(Directory.Exists(directory));

        Assert.Equal(HttpStatusCode.Accepted, await CallAsync("DESTROY_VOLUMES", "destroy_volumes", "volumes", new JsonArray(Scalar("disk", 5, "batch", Volume("scratch")))));
        await Poll.UntilAsync(() => Task.FromResult(!Directory.Exists(directory)), TimeSpan.FromSeconds(20), $"{directory} deleted");
        Assert.Equal(HttpStatusCode.Accepted, await CallAsync("UNRESERVE_RESOURCES", "unreserve_resources", "resources", new JsonArray(Scalar("cpus", 0.25, "batch"), Scalar("disk", 5, "batch"))));
        Assert.Equal(HttpStatusCode.Conflict, await CallAsync("UNRESERVE_RESOURCES", "unreserve_resources", "resources", new JsonArray(Scalar("cpus", 0.25, "batch"))));
    }

    [Fact]
    public async Task A_framework_reserves_creates_and_launches_in_one_accept_and_a_task_over_its_disk_fails_for_it()
    {
        await using var silo = await SiloProcess.StartAsync("--Daemon:DiskCheckInterval=00:00:01");
        await using var db = new RawFramework(silo.BaseAddress);
        await db.SubscribeAsync("db", ["db"]);
        var offer = await db.NextOfferAsync(TimeSpan.FromSeconds(30));
        var reserve = new JsonArray(Scalar("cpus", 0.2, "db"), Scalar("mem", 32, "db"), Scalar("disk", 1, "db"));
        var volume = Scalar("disk", 1, "db", Volume("tiny"));
        JsonObject Task(string id, string command, JsonArray resources) => new()
        {
            ["name"] = id,
            ["task_id"] = new JsonObject { ["value"] = id },
            ["agent_id"] = offer["agent_id"]!.DeepClone(),
            ["resources"] = resources,
            ["command"] = new JsonObject { ["value"] = command },
        };

        // 3 MiB into a 1 MiB volume; 3 MiB into a sandbox of 1 MiB.
        var accepted = await db.AcceptAsync(offer, new JsonArray(
            new JsonObject { ["type"] = "RESERVE", ["reserve"] = new JsonObject { ["resources"] = reserve } },
            new JsonObject { ["type"] = "CREATE", ["create"] = new JsonObject { ["volumes"] = new JsonArray(volume.DeepClone()) } },
            new JsonObject
            {
                ["type"] = "LAUNCH",
                ["launch"] = new JsonObject
                {
                    ["task_infos"] = new JsonArray(
                        Task("filler", "head -c 3145728 /dev/zero > data/fill && exec sleep 600", new JsonArray(Scalar("cpus", 0.1, "db"), Scalar("mem", 16, "db"), volume.DeepClone())),
                        Task("sandbox-filler", "head -c 3145728 /dev/zero > fill && exec sleep 600", new JsonArray(Scalar("cpus", 0.1), Scalar("mem", 16), Scalar("disk", 1)))),
                },
            }));
        Assert.True(accepted.Status == HttpStatusCode.Accepted, $"{(int)accepted.Status} {accepted.Body}");

        foreach (var (task, what) in new[] { ("filler", "persistent volume 'tiny'"), ("sandbox-filler", "of the sandbox") })
        {
            await db.WaitForStateAsync(task, "TASK_FAILED", TimeSpan.FromSeconds(30));
            var status = db.Updates(task).Last()["update"]!["status"]!;
            Assert.Equal("REASON_CONTAINER_LIMITATION_DISK", status["reason"]!.GetValue<string>());
            Assert.Contains(what, status["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // The volume outlives the task that filled it.
        Assert.True(File.Exists(Path.Combine(silo.DataDirectory, "agent", "volumes", "roles", "db", "tiny", "fill")));
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OrleansDcos.Client.Frameworks;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Operator;

/// <summary>Mesos' v1 operator API (<c>POST /api/v1</c>) on a silo process with its embedded agent and a Marathon app running.</summary>
[Trait("Area", "Operator")]
public sealed class MesosOperatorApiTests
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_call_answers_in_Mesos_shape_and_the_agent_calls_act()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", new JsonObject
        {
            ["id"] = "/ops/sleeper",
            ["cmd"] = "sleep 600",
            ["cpus"] = 0.1,
            ["mem"] = 16,
            ["instances"] = 1,
            ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = 0, ["name"] = "http" }),
        });
        await api.WaitForTasksAsync("/ops/sleeper", 1);
        var taskId = MarathonApi.Ids(await api.TasksAsync("/ops/sleeper"))[0];
        async Task<JsonNode> Get(string type) => (await CallAsync(api, new JsonObject { ["type"] = type }, HttpStatusCode.OK))!;

        Assert.True(Body(await Get("GET_HEALTH"), "GET_HEALTH")["healthy"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("/master/health")).StatusCode);
        Assert.Matches(@"^\d+\.\d+\.\d+$", Body(await Get("GET_VERSION"), "GET_VERSION")["version_info"]!["version"]!.GetValue<string>());
        Assert.Contains(Body(await Get("GET_FLAGS"), "GET_FLAGS")["flags"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "allocation_interval");
        var metrics = Body(await Get("GET_METRICS"), "GET_METRICS")["metrics"]!.AsArray();
        Assert.Equal(1, metrics.Single(m => m!["name"]!.GetValue<string>() == "master/tasks_running")!["value"]!.GetValue<double>());

        // Agents, frameworks and tasks: ids as {value}, resources as Resource objects, times in nanoseconds.
        var agent = Assert.Single(Body(await Get("GET_AGENTS"), "GET_AGENTS")["agents"]!.AsArray())!;
        var agentId = agent["agent_info"]!["id"]!["value"]!.GetValue<string>();
        Assert.True(agent["active"]!.GetValue<bool>());
        Assert.False(agent["deactivated"]!.GetValue<bool>());
        Assert.True(agent["registered_time"]!["nanoseconds"]!.GetValue<long>() > 1_000_000_000_000_000_000);
        Assert.Contains(agent["total_resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "cpus" && r["type"]!.GetValue<string>() == "SCALAR");
        var marathon = Assert.Single(Body(await Get("GET_FRAMEWORKS"), "GET_FRAMEWORKS")["frameworks"]!.AsArray(), f => f!["framework_info"]!["name"]!.GetValue<string>() == "marathon")!;
        var frameworkId = marathon["framework_info"]!["id"]!["value"]!.GetValue<string>();
        Assert.True(marathon["connected"]!.GetValue<bool>());
        var task = Assert.Single(Body(await Get("GET_TASKS"), "GET_TASKS")["tasks"]!.AsArray())!;
        Assert.Equal(taskId, task["task_id"]!["value"]!.GetValue<string>());
        Assert.Equal((agentId, frameworkId, "TASK_RUNNING"), (task["agent_id"]!["value"]!.GetValue<string>(), task["framework_id"]!["value"]!.GetValue<string>(), task["state"]!.GetValue<string>()));
        Assert.Equal("http", task["discovery"]!["ports"]!["ports"]![0]!["name"]!.GetValue<string>());
        Assert.Contains(task["statuses"]!.AsArray(), s => s!["state"]!.GetValue<string>() == "TASK_RUNNING");
        var state = Body(await Get("GET_STATE"), "GET_STATE");
        Assert.Single(state["get_tasks"]!["tasks"]!.AsArray());
        Assert.Single(state["get_agents"]!["agents"]!.AsArray());
        Assert.Empty(Body(await Get("GET_EXECUTORS"), "GET_EXECUTORS")["executors"]!.AsArray());

        // Weights, roles and quota: set through the API, read back.
        await CallAsync(api, new JsonObject { ["type"] = "UPDATE_WEIGHTS", ["update_weights"] = new JsonObject { ["weight_infos"] = new JsonArray(new JsonObject { ["role"] = "web", ["weight"] = 2.5 }) } }, HttpStatusCode.OK);
        Assert.Contains(Body(await Get("GET_WEIGHTS"), "GET_WEIGHTS")["weight_infos"]!.AsArray(), w => w!["role"]!.GetValue<string>() == "web" && w["weight"]!.GetValue<double>() == 2.5);
        await CallAsync(api, new JsonObject
        {
            ["type"] = "UPDATE_QUOTA",
            ["update_quota"] = new JsonObject { ["quota_configs"] = new JsonArray(new JsonObject { ["role"] = "web", ["guarantees"] = new JsonObject { ["cpus"] = new JsonObject { ["value"] = 0.5 } } }) },
        }, HttpStatusCode.OK);
        var quota = Assert.Single(Body(await Get("GET_QUOTA"), "GET_QUOTA")["status"]!["configs"]!.AsArray(), c => c!["role"]!.GetValue<string>() == "web")!;
        Assert.Equal(0.5, quota["guarantees"]!["cpus"]!["value"]!.GetValue<double>());
        var roles = Body(await Get("GET_ROLES"), "GET_ROLES")["roles"]!.AsArray();
        var web = roles.Single(r => r!["name"]!.GetValue<string>() == "web")!;
        Assert.Equal(2.5, web["weight"]!.GetValue<double>());
        Assert.NotNull(web["quota"]);
        var any = roles.Single(r => r!["name"]!.GetValue<string>() == "*")!;
        Assert.Contains(any["frameworks"]!.AsArray(), f => f!["value"]!.GetValue<string>() == frameworkId);
        Assert.Contains(any["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "cpus");

        // Deactivated: not offered, its task runs on; reactivated: offered again.
        var agentCall = (string type) => new JsonObject { ["type"] = type, [type.ToLowerInvariant()] = new JsonObject { ["agent_id"] = new JsonObject { ["value"] = agentId } } };
        await CallAsync(api, agentCall("DEACTIVATE_AGENT"), HttpStatusCode.OK);
        var deactivated = Assert.Single(Body(await Get("GET_AGENTS"), "GET_AGENTS")["agents"]!.AsArray())!;
        Assert.True(deactivated["deactivated"]!.GetValue<bool>());
        Assert.False(deactivated["active"]!.GetValue<bool>());
        Assert.Equal("TASK_RUNNING", Assert.Single(Body(await Get("GET_TASKS"), "GET_TASKS")["tasks"]!.AsArray())!["state"]!.GetValue<string>());
        await CallAsync(api, agentCall("REACTIVATE_AGENT"), HttpStatusCode.OK);
        Assert.True(Assert.Single(Body(await Get("GET_AGENTS"), "GET_AGENTS")["agents"]!.AsArray())!["active"]!.GetValue<bool>());
        var maintenance = Body(await Get("GET_MAINTENANCE_STATUS"), "GET_MAINTENANCE_STATUS")["status"]!;
        Assert.Empty(maintenance["draining_machines"]!.AsArray());
        Assert.Empty(maintenance["down_machines"]!.AsArray());

        // Drained: its task killed, the machine down; reactivated after.
        var drain = agentCall("DRAIN_AGENT");
        drain["drain_agent"]!["max_grace_period"] = new JsonObject { ["nanoseconds"] = 1_000_000_000 };
        await CallAsync(api, drain, HttpStatusCode.OK);
        await PollValue.UntilAsync(async () => Body(await Get("GET_MAINTENANCE_STATUS"), "GET_MAINTENANCE_STATUS")["status"]!["down_machines"]!.AsArray().Count == 1 ? (object)true : null,
            Fresh, () => "the agent drained" + api.Diagnostics());
        Assert.Equal("DRAINED", Assert.Single(Body(await Get("GET_AGENTS"), "GET_AGENTS")["agents"]!.AsArray())!["drain_info"]!["state"]!.GetValue<string>());
        await CallAsync(api, agentCall("REACTIVATE_AGENT"), HttpStatusCode.OK);

        // Refusals: one line naming the field, 404 for what is not known, 415 for what is not JSON.
        Assert.Contains("call.type FROB is not supported", Message(await CallAsync(api, new JsonObject { ["type"] = "FROB" }, HttpStatusCode.BadRequest)));
        Assert.Contains("call.type", Message(await CallAsync(api, new JsonObject { ["get_state"] = new JsonObject() }, HttpStatusCode.BadRequest)));
        Assert.Contains("call.deactivate_agent.agent_id", Message(await CallAsync(api, new JsonObject { ["type"] = "DEACTIVATE_AGENT", ["deactivate_agent"] = new JsonObject() }, HttpStatusCode.BadRequest)));
        Assert.Contains("weight", Message(await CallAsync(api, new JsonObject { ["type"] = "UPDATE_WEIGHTS", ["update_weights"] = new JsonObject { ["weight_infos"] = new JsonArray(new JsonObject { ["role"] = "web", ["weight"] = -1 }) } }, HttpStatusCode.BadRequest)));
        Assert.Contains("'../x' is not a valid role name", Message(await CallAsync(api, new JsonObject { ["type"] = "UPDATE_WEIGHTS", ["update_weights"] = new JsonObject { ["weight_infos"] = new JsonArray(new JsonObject { ["role"] = "../x", ["weight"] = 1 }) } }, HttpStatusCode.BadRequest)));
        Assert.Contains("not a valid role name", Message(await CallAsync(api, new JsonObject { ["type"] = "UPDATE_QUOTA", ["update_quota"] = new JsonObject { ["quota_configs"] = new JsonArray(new JsonObject { ["role"] = "a b" }) } }, HttpStatusCode.BadRequest)));
        Assert.Contains("not known", Message(await CallAsync(api, new JsonObject { ["type"] = "MARK_AGENT_GONE", ["mark_agent_gone"] = new JsonObject { ["agent_id"] = new JsonObject { ["value"] = "nobody" } } }, HttpStatusCode.NotFound)));
        Assert.Contains("not known", Message(await CallAsync(api, new JsonObject { ["type"] = "TEARDOWN", ["teardown"] = new JsonObject { ["framework_id"] = new JsonObject { ["value"] = "nobody" } } }, HttpStatusCode.NotFound)));
        using (var text = new StringContent("{\"type\":\"GET_HEALTH\"}", Encoding.UTF8, "text/plain"))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await api.Http.PostAsync("/api/v1", text)).StatusCode);
        }

        using (var broken = new StringContent("{\"type\":", Encoding.UTF8, "application/json"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await api.Http.PostAsync("/api/v1", broken)).StatusCode);
        }

        // Drained with mark_gone: once its tasks have ended the agent is gone (no longer listed, and it stays so).
        var gone = agentCall("DRAIN_AGENT");
        gone["drain_agent"]!["mark_gone"] = true;
        await CallAsync(api, gone, HttpStatusCode.OK);
        var lastAgents = "";
        await PollValue.UntilAsync(async () =>
        {
            var agents = Body(await Get("GET_AGENTS"), "GET_AGENTS")["agents"]!.AsArray();
            lastAgents = agents.ToJsonString();
            return agents.Count == 0 ? (object)true : null;
        }, Fresh, () => $"the agent gone after draining; agents: {lastAgents}; tasks: {api.StateAsync().GetAwaiter().GetResult()}" + api.Diagnostics());
    }

    [Fact]
    public async Task Subscribe_streams_the_state_then_each_task_as_it_is_added_and_updated()
    {
        await using var silo = await SiloProcess.StartAsync("--Master:MaxOperatorSubscribers=1");
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1") { Content = new StringContent("{\"type\": \"SUBSCRIBE\"}", Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var subscribed = (await RecordIo.ReadAsync(stream, reading.Token))!;
        Assert.Equal("SUBSCRIBED", subscribed["type"]!.GetValue<string>());
        Assert.Equal(15, subscribed["subscribed"]!["heartbeat_interval_seconds"]!.GetValue<double>());
        Assert.Single(subscribed["subscribed"]!["get_state"]!["get_agents"]!["agents"]!.AsArray());
        Assert.Empty(subscribed["subscribed"]!["get_state"]!["get_tasks"]!["tasks"]!.AsArray());

        // One stream is this silo's limit here: a second is refused, saying why.
        using (var second = await http.PostAsync("/api/v1", new StringContent("{\"type\": \"SUBSCRIBE\"}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
            Assert.Contains("Master:MaxOperatorSubscribers", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A Marathon app's task: added, then updated to RUNNING; killed: updated to KILLED.
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", new JsonObject { ["id"] = "/ops/watched", ["cmd"] = "sleep 600", ["cpus"] = 0.1, ["mem"] = 16, ["instances"] = 1 });
        var added = await NextOfAsync(stream, "TASK_ADDED", reading.Token);
        var taskId = added["task_added"]!["task"]!["task_id"]!["value"]!.GetValue<string>();
        Assert.StartsWith("ops_watched.", taskId, StringComparison.Ordinal);
        Assert.Contains(added["task_added"]!["task"]!["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "mem");
        var running = await NextOfAsync(stream, "TASK_UPDATED", reading.Token, e => e["task_updated"]!["state"]!.GetValue<string>() == "TASK_RUNNING");
        Assert.Equal(taskId, running["task_updated"]!["status"]!["task_id"]!["value"]!.GetValue<string>());
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, "/v2/apps/ops/watched");
        var killed = await NextOfAsync(stream, "TASK_UPDATED", reading.Token, e => e["task_updated"]!["state"]!.GetValue<string>() == "TASK_KILLED");
        Assert.Equal(taskId, killed["task_updated"]!["status"]!["task_id"]!["value"]!.GetValue<string>());
    }

    /// <summary>The next record of <paramref name="type"/> (that <paramref name="matching"/> accepts), skipping the others.</summary>
    private static async Task<JsonNode> NextOfAsync(Stream stream, string type, CancellationToken cancellationToken, Func<JsonNode, bool>? matching = null)
    {
        while (true)
        {
            var record = await RecordIo.ReadAsync(stream, cancellationToken) ?? throw new EndOfStreamException($"the stream ended before {type}");
            if (record["type"]?.GetValue<string>() == type && (matching is null || matching(record)))
            {
                return record;
            }
        }
    }

    private static async Task<JsonNode?> CallAsync(MarathonApi api, JsonObject call, HttpStatusCode expected)
    {
        var (status, body, response) = await api.SendAsync(HttpMethod.Post, "/api/v1", call);
        Assert.True(status == expected, $"{call.ToJsonString()}: {(int)status}, expected {(int)expected}: {await response.Content.ReadAsStringAsync()}");
        return body;
    }

    private static JsonNode Body(JsonNode response, string type)
    {
        Assert.Equal(type, response["type"]!.GetValue<string>());
        return response[type.ToLowerInvariant()]!;
    }

    private static string Message(JsonNode? error) => error?["message"]?.GetValue<string>() ?? "";
}

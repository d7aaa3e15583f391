using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Stateful;

/// <summary>
/// Marathon pods (<c>/v2/pods</c>) on a silo process and its embedded agent: two containers of one instance share an
/// ephemeral volume and localhost; the instance's status shows each container and its health; a failed container
/// restarts the instance whole; instances are killed and scaled; the pod is deleted; apps and pods keep apart.
/// </summary>
[Trait("Area", "Stateful")]
public sealed class PodTests
{
    private static JsonObject Pod(int instances) => new()
    {
        ["id"] = "/shop/cart",
        ["scaling"] = new JsonObject { ["kind"] = "fixed", ["instances"] = instances },
        ["volumes"] = new JsonArray(new JsonObject { ["name"] = "shared" }),
        ["containers"] = new JsonArray(
            new JsonObject
            {
                ["name"] = "server",
                ["resources"] = new JsonObject { ["cpus"] = 0.1, ["mem"] = 16 },
                ["endpoints"] = new JsonArray(new JsonObject { ["name"] = "http", ["hostPort"] = 0 }),
                ["exec"] = new JsonObject { ["command"] = new JsonObject { ["shell"] = "echo served-by-$MESOS_TASK_ID > shared/index.html && exec busybox httpd -f -p 127.0.0.1:$ENDPOINT_HTTP -h shared" } },
                ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "shared", ["mountPath"] = "/shared" }),
                ["healthCheck"] = new JsonObject { ["http"] = new JsonObject { ["endpoint"] = "http", ["path"] = "/" }, ["gracePeriodSeconds"] = 10, ["intervalSeconds"] = 1, ["delaySeconds"] = 0 },
            },
            new JsonObject
            {
                ["name"] = "client",
                ["resources"] = new JsonObject { ["cpus"] = 0.1, ["mem"] = 16 },
                ["exec"] = new JsonObject { ["command"] = new JsonObject { ["shell"] = "until curl -sf http://127.0.0.1:$ENDPOINT_HTTP/ > shared/fetched; do sleep 0.2; done; cat shared/fetched; exec sleep 600" } },
                ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "shared", ["mountPath"] = "shared" }),
            }),
    };

    [Fact]
    public async Task A_pods_containers_share_a_volume_and_localhost_and_a_failed_container_restarts_the_instance()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(60));
        await api.WaitForAgentsAsync();
        await using var events = await SseCollector.AttachAsync(silo.BaseAddress);
        var (created, body, response) = await api.SendAsync(HttpMethod.Post, "/v2/pods", Pod(1));
        Assert.True(created == HttpStatusCode.Created, $"{(int)created} {body?.ToJsonString()}");
        Assert.True(response.Headers.Contains("Marathon-Deployment-Id"));
        Assert.Equal("/v2/pods/shop/cart", response.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Conflict, (await api.SendAsync(HttpMethod.Post, "/v2/pods", Pod(1))).Status);

        var first = await StableAsync(api, 1);
        var instance = first["instances"]![0]!;
        var instanceId = instance["id"]!.GetValue<string>();
        Assert.Matches(@"^shop_cart\.instance-[0-9a-f]{32}$", instanceId);
        Assert.Equal(["server", "client"], instance["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("true", instance["containers"]![0]!["conditions"]![0]!["value"]!.GetValue<string>());
        Assert.True(instance["containers"]![0]!["endpoints"]![0]!["allocatedHostPort"]!.GetValue<int>() > 0);
        await Poll.UntilAsync(() => Task.FromResult(events.Events.Any(e => e.Type == "instance_changed_event"
            && e.Data["instanceId"]?.GetValue<string>() == instanceId && e.Data["condition"]?.GetValue<string>() == "Running"
            && e.Data["runSpecId"]?.GetValue<string>() == "/shop/cart")), TimeSpan.FromSeconds(10), "the instance Running on the event bus");

        // The client read over localhost what the server wrote into the shared volume.
        var stdout = await PollValue.UntilAsync(async () =>
        {
            var data = JsonNode.Parse(await api.Http.GetStringAsync($"/api/v1/tasks/{instanceId}.client/logs/stdout"))!["data"]!.GetValue<string>();
            return data.Contains("served-by-", StringComparison.Ordinal) ? data : null;
        }, TimeSpan.FromSeconds(30), "the client's stdout");
        Assert.Equal($"served-by-{instanceId}.server", stdout.Trim());

        // Apps and pods keep apart.
        Assert.Empty((await api.SendAsync(HttpMethod.Get, "/v2/apps")).Body!["apps"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, "/v2/apps/shop/cart")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await api.SendAsync(HttpMethod.Put, "/v2/apps/shop/cart", new JsonObject { ["cmd"] = "sleep 1" })).Status);
        var group = (await api.SendAsync(HttpMethod.Get, "/v2/groups/shop")).Body!;
        Assert.Empty(group["apps"]!.AsArray());
        Assert.Equal("/shop/cart", Assert.Single(group["pods"]!.AsArray())!["id"]!.GetValue<string>());

        // The server dies: the group goes (client killed) and a new instance takes its place.
        var server = await PollValue.UntilAsync(async () =>
        {
            var tasks = JsonNode.Parse(await api.Http.GetStringAsync("/master/tasks"))!["tasks"]!.AsArray();
            return tasks.FirstOrDefault(t => t!["id"]!.GetValue<string>() == $"{instanceId}.server");
        }, TimeSpan.FromSeconds(10), "the server task at the master");
        Assert.NotNull(server);
        var port = instance["containers"]![0]!["endpoints"]![0]!["allocatedHostPort"]!.GetValue<int>();
        using (var pkill = System.Diagnostics.Process.Start("pkill", ["-9", "-f", $"busybox httpd -f -p 127.0.0.1:{port} "]))
        {
            await pkill.WaitForExitAsync();
        }

        var second = await PollValue.UntilAsync(async () =>
        {
            var status = (await api.SendAsync(HttpMethod.Get, "/v2/pods/shop/cart::status")).Body!;
            var instances = status["instances"]!.AsArray();
            return instances.Count == 1 && instances[0]!["id"]!.GetValue<string>() != instanceId && instances[0]!["status"]!.GetValue<string>() == "STABLE" ? status : null;
        }, TimeSpan.FromSeconds(60), () => $"a new stable instance{api.Diagnostics()}");
        Assert.NotNull(second);
        await Poll.UntilAsync(async () =>
        {
            var tasks = JsonNode.Parse(await api.Http.GetStringAsync("/master/tasks"))!["tasks"]!.AsArray();
            return tasks.Any(t => t!["id"]!.GetValue<string>() == $"{instanceId}.client" && t["state"]!.GetValue<string>() == "TASK_KILLED");
        }, TimeSpan.FromSeconds(20), "the old client killed with its group");

        // Scaled by an update; one instance killed by id is replaced; versions are kept.
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Put, "/v2/pods/shop/cart", Pod(2))).Status);
        var two = await StableAsync(api, 2);
        var victim = two["instances"]![0]!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Delete, $"/v2/pods/shop/cart::instances/{victim}")).Status);
        await Poll.UntilAsync(async () =>
        {
            var status = (await api.SendAsync(HttpMethod.Get, "/v2/pods/shop/cart::status")).Body!;
            var ids = status["instances"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
            return ids.Count == 2 && !ids.Contains(victim) && status["status"]!.GetValue<string>() == "STABLE";
        }, TimeSpan.FromSeconds(60), () => $"the killed instance replaced{api.Diagnostics()}");
        Assert.Equal(2, (await api.SendAsync(HttpMethod.Get, "/v2/pods/shop/cart::versions")).Body!.AsArray().Count);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, "/v2/pods/shop/cart::instances/shop_cart.instance-00000000000000000000000000000000")).Status);

        // Deleted: every task goes.
        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Delete, "/v2/pods/shop/cart")).Status);
        await Poll.UntilAsync(async () =>
        {
            var tasks = JsonNode.Parse(await api.Http.GetStringAsync("/master/tasks"))!["tasks"]!.AsArray();
            return tasks.All(t => t!["state"]!.GetValue<string>() is not ("TASK_RUNNING" or "TASK_STAGING" or "TASK_STARTING" or "TASK_KILLING"))
                && (await api.SendAsync(HttpMethod.Get, "/v2/pods/shop/cart")).Status == HttpStatusCode.NotFound;
        }, TimeSpan.FromSeconds(30), () => $"the pod gone{api.Diagnostics()}");
    }

    [Fact]
    public async Task A_bad_pod_is_refused_with_422_naming_the_field()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(60));
        var pod = Pod(1);
        pod["containers"]![1]!["volumeMounts"]![0]!["name"] = "missing";

        var (status, body, _) = await api.SendAsync(HttpMethod.Post, "/v2/pods", pod);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains(body!["details"]!.AsArray(), d => d!["path"]!.GetValue<string>() == "/containers/1/volumeMounts/0/name");
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, "/v2/pods/nope::status")).Status);
    }

    [RequiresFact(Component.Docker)]
    public async Task A_pod_of_two_busybox_containers_shares_a_volume_and_localhost()
    {
        TestEnvironment.Require(Component.Docker);
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(60));
        await api.WaitForAgentsAsync();
        JsonObject Container(string name, string shell, JsonArray? endpoints = null) => new()
        {
            ["name"] = name,
            ["resources"] = new JsonObject { ["cpus"] = 0.1, ["mem"] = 32 },
            ["image"] = new JsonObject { ["kind"] = "DOCKER", ["id"] = "local/busybox:1" },
            ["exec"] = new JsonObject { ["command"] = new JsonObject { ["shell"] = shell } },
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "shared", ["mountPath"] = "/shared" }),
            ["endpoints"] = endpoints ?? new JsonArray(),
        };
        var pod = new JsonObject
        {
            ["id"] = "/boxes",
            ["volumes"] = new JsonArray(new JsonObject { ["name"] = "shared" }),
            ["containers"] = new JsonArray(
                Container("server", "echo from-the-server > /shared/index.html && exec httpd -f -p 127.0.0.1:$ENDPOINT_WEB -h /shared", new JsonArray(new JsonObject { ["name"] = "web" })),
                Container("client", "until wget -qO /shared/copy http://127.0.0.1:$ENDPOINT_WEB/; do sleep 0.2; done; exec sleep 600")),
        };

        Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(HttpMethod.Post, "/v2/pods", pod)).Status);
        var status = await PollValue.UntilAsync(async () =>
        {
            var answer = (await api.SendAsync(HttpMethod.Get, "/v2/pods/boxes::status")).Body!;
            return answer["status"]!.GetValue<string>() == "STABLE" ? answer : null;
        }, TimeSpan.FromSeconds(90), () => $"the busybox pod stable{api.Diagnostics()}");
        var instanceId = status["instances"]![0]!["id"]!.GetValue<string>();

        // The client copied over localhost, into the volume both mount, what the server wrote there.
        var sandboxes = Path.Combine(silo.DataDirectory, "agent", "sandboxes");
        string? Copy() => Directory.GetDirectories(sandboxes, "group.*").Select(d => Path.Combine(d, "volumes", "shared", "copy")).FirstOrDefault(File.Exists);
        await Poll.UntilAsync(() => Task.FromResult(Copy() is { } copy && File.ReadAllText(copy).Trim() == "from-the-server"), TimeSpan.FromSeconds(30),
            () => $"the copy in the group's shared volume under {sandboxes} ({instanceId}){api.Diagnostics()}");
        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Delete, "/v2/pods/boxes")).Status);
        await Poll.UntilAsync(async () => (await api.SendAsync(HttpMethod.Get, "/v2/pods/boxes")).Status == HttpStatusCode.NotFound
            && JsonNode.Parse(await api.Http.GetStringAsync("/master/tasks"))!["tasks"]!.AsArray().All(t => t!["state"]!.GetValue<string>() == "TASK_KILLED"),
            TimeSpan.FromSeconds(30), "the busybox pod's containers killed");
    }

    [Fact]
    public async Task A_pod_with_a_persistent_volume_keeps_it_across_instances_and_gives_it_back_when_deleted()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(60));
        await api.WaitForAgentsAsync();
        JsonObject Container(string name, string shell) => new()
        {
            ["name"] = name,
            ["resources"] = new JsonObject { ["cpus"] = 0.1, ["mem"] = 16 },
            ["exec"] = new JsonObject { ["command"] = new JsonObject { ["shell"] = shell } },
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "data", ["mountPath"] = "data" }),
        };
        var pod = new JsonObject
        {
            ["id"] = "/db",
            ["volumes"] = new JsonArray(new JsonObject { ["name"] = "data", ["persistent"] = new JsonObject { ["type"] = "root", ["size"] = 10 } }),
            ["containers"] = new JsonArray(
                Container("counter", "n=$(cat data/counter 2>/dev/null || echo 0); n=$((n+1)); echo $n > data/counter; exec sleep 600"),
                Container("reader", "until [ -s data/counter ]; do sleep 0.2; done; echo saw $(cat data/counter); exec sleep 600")),
        };

        var (created, body, _) = await api.SendAsync(HttpMethod.Post, "/v2/pods", pod);
        Assert.True(created == HttpStatusCode.Created, $"{(int)created} {body?.ToJsonString()}");
        Assert.Equal(0, body!["scheduling"]!["upgrade"]!["maximumOverCapacity"]!.GetValue<double>());
        var roles = Path.Combine(silo.DataDirectory, "agent", "volumes", "roles", "marathon");
        string Counter() => Directory.Exists(roles) ? Directory.GetDirectories(roles).Select(d => Path.Combine(d, "counter")).Where(File.Exists).Select(f => File.ReadAllText(f).Trim()).FirstOrDefault() ?? "" : "";
        async Task<string> RunningInstanceAsync(string? not) => (await PollValue.UntilAsync(async () =>
        {
            var status = (await api.SendAsync(HttpMethod.Get, "/v2/pods/db::status")).Body!;
            var instances = status["instances"]!.AsArray();
            return instances.Count == 1 && instances[0]!["status"]!.GetValue<string>() == "STABLE" && instances[0]!["id"]!.GetValue<string>() != not ? instances[0]!["id"]!.GetValue<string>() : null;
        }, TimeSpan.FromSeconds(60), () => $"a stable instance of /db{api.Diagnostics()}"))!;

        var first = await RunningInstanceAsync(null);
        await Poll.UntilAsync(() => Task.FromResult(Counter() == "1"), TimeSpan.FromSeconds(20), () => $"counter 1 (is '{Counter()}'){api.Diagnostics()}");
        var seen = await PollValue.UntilAsync(async () =>
        {
            var data = JsonNode.Parse(await api.Http.GetStringAsync($"/api/v1/tasks/{first}.reader/logs/stdout"))!["data"]!.GetValue<string>().Trim();
            return data.Length > 0 ? data : null;
        }, TimeSpan.FromSeconds(20), "the reader's stdout");
        Assert.Equal("saw 1", seen); // the other container sees the same persistent volume

        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Delete, $"/v2/pods/db::instances/{first}")).Status);
        await RunningInstanceAsync(first);
        await Poll.UntilAsync(() => Task.FromResult(Counter() == "2"), TimeSpan.FromSeconds(20), () => $"counter 2 in the same volume (is '{Counter()}'){api.Diagnostics()}");

        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Delete, "/v2/pods/db")).Status);
        await Poll.UntilAsync(async () =>
        {
            var slave = JsonNode.Parse(await api.Http.GetStringAsync("/master/slaves"))!["slaves"]![0]!;
            return (!Directory.Exists(roles) || Directory.GetDirectories(roles).Length == 0) && slave["reserved_resources"]!.AsObject().Count == 0;
        }, TimeSpan.FromSeconds(60), () => $"the volume destroyed and the reservation given back{api.Diagnostics()}");
    }

    private static Task<JsonNode> StableAsync(MarathonApi api, int instances) => PollValue.UntilAsync(async () =>
    {
        var (code, status, _) = await api.SendAsync(HttpMethod.Get, "/v2/pods/shop/cart::status");
        return code == HttpStatusCode.OK && status!["status"]!.GetValue<string>() == "STABLE" && status["instances"]!.AsArray().Count == instances ? status : null;
    }, TimeSpan.FromSeconds(60), () => $"{instances} stable instance(s){api.Diagnostics()}");
}

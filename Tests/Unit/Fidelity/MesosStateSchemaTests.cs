using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Silo.Master;
using OrleansDcos.Tests.Support;
using Xunit;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Fidelity;

/// <summary>
/// The master's state JSON against the keys and types Mesos 1.x writes (src/master/readonly_handler.cpp and
/// src/common/http.cpp): every key Mesos always writes is there with Mesos' JSON type, so typed decoders (mesos-dns,
/// the dcos CLI) read it; our additions are listed and nothing else appears.
/// </summary>
[Trait("Area", "Fidelity")]
public sealed class MesosStateSchemaTests
{
    private const string S = JsonShape.String, N = JsonShape.Number, B = JsonShape.Boolean, O = JsonShape.Object, A = JsonShape.Array;

    private static readonly Dictionary<string, string> StateKeys = new()
    {
        ["version"] = S,
        ["build_date"] = S,
        ["build_time"] = N,
        ["build_user"] = S,
        ["start_time"] = N,
        ["elected_time"] = N,
        ["id"] = S,
        ["pid"] = S,
        ["hostname"] = S,
        ["capabilities"] = A,
        ["activated_slaves"] = N,
        ["deactivated_slaves"] = N,
        ["unreachable_slaves"] = N,
        ["leader"] = S,
        ["leader_info"] = O,
        ["cluster"] = S,
        ["flags"] = O,
        ["slaves"] = A,
        ["recovered_slaves"] = A,
        ["frameworks"] = A,
        ["completed_frameworks"] = A,
        ["orphan_tasks"] = A,
        ["unregistered_frameworks"] = A,
    };

    private static readonly string[] StateOptional = ["git_sha", "git_branch", "git_tag", "domain", "log_dir", "external_log_file"];
    private static readonly string[] StateAdditions = ["orleansdcos_version"];

    private static readonly Dictionary<string, string> SlaveKeys = new()
    {
        ["id"] = S,
        ["hostname"] = S,
        ["port"] = N,
        ["attributes"] = O,
        ["pid"] = S,
        ["registered_time"] = N,
        ["resources"] = O,
        ["used_resources"] = O,
        ["offered_resources"] = O,
        ["reserved_resources"] = O,
        ["reserved_resources_full"] = O,
        ["unreserved_resources"] = O,
        ["active"] = B,
        ["deactivated"] = B,
        ["version"] = S,
        ["capabilities"] = A,
    };

    private static readonly string[] SlaveOptional = ["domain", "reregistered_time", "drain_info", "estimated_drain_start_time_seconds"];
    private static readonly string[] SlaveAdditions = ["status", "connected"];

    private static readonly Dictionary<string, string> FrameworkKeys = new()
    {
        ["id"] = S,
        ["name"] = S,
        ["used_resources"] = O,
        ["offered_resources"] = O,
        ["capabilities"] = A,
        ["hostname"] = S,
        ["webui_url"] = S,
        ["active"] = B,
        ["connected"] = B,
        ["recovered"] = B,
        ["user"] = S,
        ["failover_timeout"] = N,
        ["checkpoint"] = B,
        ["registered_time"] = N,
        ["unregistered_time"] = N,
        ["resources"] = O,
        ["tasks"] = A,
        ["unreachable_tasks"] = A,
        ["completed_tasks"] = A,
        ["offers"] = A,
        ["executors"] = A,
        ["offer_constraints"] = O,
    };

    private static readonly string[] FrameworkOptional = ["pid", "principal", "reregistered_time", "roles", "role", "labels"];

    private static readonly Dictionary<string, string> TaskKeys = new()
    {
        ["id"] = S,
        ["name"] = S,
        ["framework_id"] = S,
        ["executor_id"] = S,
        ["slave_id"] = S,
        ["state"] = S,
        ["resources"] = O,
        ["role"] = S,
        ["statuses"] = A,
    };

    private static readonly string[] TaskOptional = ["limits", "user", "labels", "discovery", "container", "health_check"];
    private static readonly Dictionary<string, string> TaskStatusKeys = new() { ["state"] = S, ["timestamp"] = N };
    private static readonly string[] TaskStatusOptional = ["labels", "container_status", "healthy"];
    private static readonly Dictionary<string, string> MasterInfoKeys = new()
    {
        ["id"] = S,
        ["ip"] = N,
        ["port"] = N,
        ["pid"] = S,
        ["hostname"] = S,
        ["version"] = S,
        ["address"] = O,
        ["capabilities"] = A,
    };

    [Fact]
    public void The_state_has_Mesos_keys_and_types_at_every_level()
    {
        var state = State();

        AssertSchema(state, StateKeys, StateOptional, StateAdditions, "state");
        AssertSchema(state["leader_info"]!.AsObject(), MasterInfoKeys, ["domain"], [], "leader_info");
        var slave = state["slaves"]!.AsArray().Single()!.AsObject();
        AssertSchema(slave, SlaveKeys, SlaveOptional, SlaveAdditions, "slave");
        var framework = state["frameworks"]!.AsArray().Single()!.AsObject();
        AssertSchema(framework, FrameworkKeys, FrameworkOptional, [], "framework");
        foreach (var list in new[] { "tasks", "unreachable_tasks", "completed_tasks" })
        {
            foreach (var task in framework[list]!.AsArray())
            {
                AssertSchema(task!.AsObject(), TaskKeys, TaskOptional, [], $"framework.{list}[]");
                foreach (var status in task["statuses"]!.AsArray())
                {
                    AssertSchema(status!.AsObject(), TaskStatusKeys, TaskStatusOptional, [], "status");
                }
            }
        }
    }

    [Fact]
    public void Identity_agents_and_tasks_carry_what_mesos_dns_and_typed_clients_read()
    {
        var state = State();

        // Identity from the silo's own name, not from any request.
        Assert.Equal("master@127.0.0.2:8080", state["pid"]!.GetValue<string>());
        Assert.Equal("127.0.0.2", state["hostname"]!.GetValue<string>());
        Assert.Equal("master@127.0.0.3:8080", state["leader"]!.GetValue<string>());
        Assert.Equal(0x0300007Fu, state["leader_info"]!["ip"]!.GetValue<uint>()); // 127.0.0.3 in network order, read as Mesos does
        Assert.Equal("127.0.0.3", state["leader_info"]!["address"]!["ip"]!.GetValue<string>());

        // Agents: slave(1)@ip:port, the port, reservations by role; unreachable ones counted, not listed.
        var slave = state["slaves"]!.AsArray().Single()!;
        Assert.Equal("slave(1)@127.0.0.4:5051", slave["pid"]!.GetValue<string>());
        Assert.Equal(5051, slave["port"]!.GetValue<int>());
        Assert.Equal(2, slave["reserved_resources"]!["web"]!["cpus"]!.GetValue<double>());
        Assert.Equal(4, slave["unreserved_resources"]!["cpus"]!.GetValue<double>());
        Assert.Equal(1, state["unreachable_slaves"]!.GetValue<int>());

        // Frameworks: what they subscribed with, their tasks by kind, capabilities as Mesos' objects.
        var framework = state["frameworks"]!.AsArray().Single()!;
        Assert.Equal("http://127.0.0.1:9090", framework["webui_url"]!.GetValue<string>());
        Assert.Equal("MULTI_ROLE", framework["capabilities"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(["web"], framework["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(["running"], framework["tasks"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        Assert.Equal(["away"], framework["unreachable_tasks"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        Assert.Equal(["done"], framework["completed_tasks"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        Assert.Equal(1, framework["used_resources"]!["cpus"]!.GetValue<double>());

        // A running task's status names the IP it serves on (mesos-dns' netinfo source).
        var running = framework["tasks"]![0]!;
        Assert.Equal("127.0.0.4", running["statuses"]![0]!["container_status"]!["network_infos"]![0]!["ip_addresses"]![0]!["ip_address"]!.GetValue<string>());
        Assert.Equal(["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"], framework["completed_tasks"]![0]!["statuses"]!.AsArray().Select(x => x!["state"]!.GetValue<string>()));
        Assert.Single(running["statuses"]!.AsArray()); // no history kept: its current status
    }

    [Theory]
    [InlineData(10, "10ms")]
    [InlineData(1000, "1secs")]
    [InlineData(30000, "30secs")]
    [InlineData(300000, "5mins")]
    [InlineData(1500, "1500ms")]
    public void Durations_read_as_Mesos_prints_them(int milliseconds, string text) =>
        Assert.Equal(text, MesosStateJson.Duration(TimeSpan.FromMilliseconds(milliseconds)));

    private static JsonObject State()
    {
        var at = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var live = new AgentSnapshot(
            new AgentInfo("a1", "node-1", Res.Parse("cpus:4;cpus(web):2;mem:1024;ports:[31000-31009]"), "rack:r1", "1.0", "127.0.0.4", 5051, "eu", "eu-1a"),
            AgentStatus.Active, true, at, null,
            [
                new AgentTask("running", "fw-1", "web", "web", Res.Parse("cpus(web):1;mem:64"), TaskState.TASK_RUNNING, true, 1_764_547_200),
                new AgentTask("away", "fw-1", "web", "web", Res.Parse("cpus(web):0.5;mem:64"), TaskState.TASK_UNREACHABLE, null, 1_764_547_200),
            ],
            [new AgentTask("done", "fw-1", "batch", "web", Res.Parse("cpus(web):0.1;mem:16"), TaskState.TASK_FINISHED, null, 1_764_547_100)],
            new Dictionary<string, IReadOnlyList<TaskStatusEntry>>
            {
                ["done"] = [new(TaskState.TASK_STARTING, 1_764_547_000, null), new(TaskState.TASK_RUNNING, 1_764_547_001, null), new(TaskState.TASK_FINISHED, 1_764_547_100, null)],
            });
        var gone = new AgentSnapshot(new AgentInfo("a2", "node-2", Res.Parse("cpus:1")), AgentStatus.Unreachable, false, at, at, []);
        var framework = new FrameworkSnapshot(
            new FrameworkInfo("fw-1", "web", "root", ["web"], null, 60, ["MULTI_ROLE"], "client-host", "http://127.0.0.1:9090"),
            true, true, false, at, null, [], []);
        var view = new MasterView([live, gone], [framework], new AllocatorSnapshot([], [], new Dictionary<string, double>(), new Dictionary<string, double>()));
        var self = MesosMaster.Of("127.0.0.2:8080", Orleans.Runtime.SiloAddress.New(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 11111), 1));
        var leader = MesosMaster.Of("127.0.0.3:8080", Orleans.Runtime.SiloAddress.New(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 11111), 1));
        return MesosStateJson.State(view, new MesosStateJson.Context(self, leader, at, at, new MasterOptions(), "dcos", "1.0.0+abc"));
    }

    private static void AssertSchema(JsonObject json, Dictionary<string, string> required, string[] optional, string[] additions, string where)
    {
        Assert.Empty(JsonShape.Problems(json, required, "Mesos").Select(p => $"{where}.{p}"));

        var known = required.Keys.Concat(optional).Concat(additions).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(json.Select(p => p.Key).Where(k => !known.Contains(k)).Select(k => $"{where}.{k}"));
    }
}

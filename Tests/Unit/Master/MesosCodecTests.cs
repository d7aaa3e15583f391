using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using Xunit;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Master;

/// <summary>
/// The one Mesos codec both sides use (the scheduler API reads what the client SDK writes, and the SDK reads what the
/// API writes): every record goes to JSON and back unchanged, and malformed JSON is refused naming its path.
/// </summary>
[Trait("Area", "Master")]
public sealed class MesosCodecTests
{
    private static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node);

    [Fact]
    public void A_task_info_goes_to_JSON_and_back_unchanged()
    {
        var task = new TaskSpec(
            "web.1", "web", "", "*", Res.Parse("cpus:0.5;mem:64;ports:[31000-31001]"),
            new CommandSpec("./run $PORT0", true, ["a", "b"], new Dictionary<string, string> { ["A"] = "1" }, [new UriSpec("http://127.0.0.1/x.tgz", Extract: true, Cache: true, OutputFile: "x.tgz")], "nobody"),
            new DockerSpec("local/busybox:1", ForcePullImage: true, [new VolumeSpec("/tmp/a", "/a", "RO")]),
            new HealthCheckSpecDto("HTTPS", Port: 31000, Path: "/health", GracePeriodSeconds: 10, IntervalSeconds: 2, TimeoutSeconds: 1, MaxConsecutiveFailures: 3, DelaySeconds: 0),
            KillGracePeriodSeconds: 2.5,
            Labels: new Dictionary<string, string> { ["tier"] = "front" },
            Discovery: new DiscoverySpec([new DiscoveryPortSpec(31000, "http", "tcp"), new DiscoveryPortSpec(31001, Protocol: "udp,tcp")], HealthChecked: true));

        var read = MesosTaskInfoJson.Read(Element(MesosTaskInfoJson.Write(task)), "task");

        Assert.Equal(task.Resources, read.Resources);
        Assert.Equal(task.Command!.Value, read.Command!.Value);
        Assert.Equal(task.Command.Arguments, read.Command.Arguments);
        Assert.Equal(task.Command.Environment, read.Command.Environment);
        Assert.Equal(task.Command.Uris, read.Command.Uris);
        Assert.Equal(task.Command.User, read.Command.User);
        Assert.Equal(task.Docker!.Image, read.Docker!.Image);
        Assert.True(read.Docker.ForcePullImage);
        Assert.Equal(task.Docker.Volumes, read.Docker.Volumes);
        Assert.Equal(task.HealthCheck, read.HealthCheck);
        Assert.Equal(2.5, read.KillGracePeriodSeconds);
        Assert.Equal(task.Labels, read.Labels);
        Assert.Equal(task.Discovery!.Ports, read.Discovery!.Ports);
        Assert.True(read.Discovery.HealthChecked); // it has a health check: DNS lists it once healthy
        Assert.Equal(task with { Command = null, Docker = null, Labels = null, Discovery = null }, read with { Command = null, Docker = null, Labels = null, Discovery = null });
    }

    [Theory]
    [InlineData(OfferOperationTypes.Launch)]
    [InlineData(OfferOperationTypes.LaunchGroup)]
    public void An_operation_goes_to_JSON_and_back_with_its_tasks(string type)
    {
        var tasks = new[] { new TaskSpec("a", "a", "", "*", Res.Parse("cpus:1"), new CommandSpec("true")), new TaskSpec("b", "b", "", "*", Res.Parse("mem:32"), new CommandSpec("true")) };

        var read = MesosTaskInfoJson.ReadOperation(Element(MesosTaskInfoJson.WriteOperation(new OfferOperation(type, tasks))), "op");

        Assert.Equal(type, read.Type);
        Assert.Equal(["a", "b"], read.Tasks.Select(t => t.TaskId));
        Assert.Equal(tasks.Select(t => t.Resources), read.Tasks.Select(t => t.Resources));
    }

    [Fact]
    public void Sandbox_path_and_host_volumes_go_to_JSON_and_back()
    {
        var task = new TaskSpec("a", "a", "", "*", Res.Parse("cpus:1"), new CommandSpec("true"), Volumes:
        [
            new SandboxVolumeSpec(SandboxVolumeSpec.Parent, "shared", "shared"),
            new SandboxVolumeSpec(SandboxVolumeSpec.Self, "tmp/x", "x", "RO"),
            new SandboxVolumeSpec(SandboxVolumeSpec.Host, "/srv/data", "data"),
        ]);

        var read = MesosTaskInfoJson.Read(Element(MesosTaskInfoJson.Write(task)), "task");

        Assert.Equal(task.Volumes, read.Volumes);
        Assert.Null(read.Docker);
    }

    [Fact]
    public void An_offer_goes_to_JSON_and_back_with_its_address_and_fault_domain()
    {
        var offer = new OfferInfo("o-1", "fw-1", "agent-1", "node-1", "web", Res.Parse("cpus(web):2;mem:512;ports:[31000-31009]"), "level:10;rack:r1",
            Address: "127.0.0.3", Port: 5052, Region: "eu", Zone: "eu-1a");

        Assert.Equal(offer, MesosOfferJson.Read(Element(MesosOfferJson.Write(offer)), "offer"));
    }

    [Fact]
    public void A_status_goes_to_JSON_and_back_without_its_framework_id()
    {
        var update = new TaskStatusEvent("agent-1",
            new TaskStatusUpdate("web.1", "fw-1", TaskState.TASK_RUNNING, Guid.NewGuid(), 1_700_000_000.25, TaskReasons.AgentDisconnected, "why", true, "c-1"),
            MasterStreams.SourceMaster);

        var read = MesosTaskStatusJson.Read(Element(MesosTaskStatusJson.Write(update)), "status");

        Assert.Equal(update with { Status = update.Status with { FrameworkId = "" } }, read);
    }

    [Fact]
    public void Events_go_to_JSON_and_back_and_heartbeats_are_not_events()
    {
        var offers = new FrameworkEvent(FrameworkEventTypes.Offers, Offers: [new OfferInfo("o-1", "fw-1", "a-1", "h", "*", Res.Parse("cpus:1"), "", Address: "127.0.0.2")]);
        var read = MesosEventJson.Read(Element(MesosEventJson.Write(offers)), "event")!;
        Assert.Equal(offers.Offers, read.Offers);

        var rescind = new FrameworkEvent(FrameworkEventTypes.Rescind, OfferId: "o-1");
        Assert.Equal(rescind, MesosEventJson.Read(Element(MesosEventJson.Write(rescind)), "event"));
        var failure = new FrameworkEvent(FrameworkEventTypes.Failure, AgentId: "a-1");
        Assert.Equal(failure, MesosEventJson.Read(Element(MesosEventJson.Write(failure)), "event"));
        var error = new FrameworkEvent(FrameworkEventTypes.Error, Message: "gone");
        Assert.Equal(error, MesosEventJson.Read(Element(MesosEventJson.Write(error)), "event"));
        Assert.Null(MesosEventJson.Read(Element(new JsonObject { ["type"] = "HEARTBEAT" }), "event"));
    }

    [Fact]
    public void A_framework_info_goes_to_JSON_and_back_with_the_multi_role_capability()
    {
        var info = new FrameworkInfo("fw-1", "marathon", "root", ["web", "batch"], "ops", 3600, ["PARTITION_AWARE"], "h", "http://127.0.0.1:8080");

        var read = MesosFrameworkInfoJson.Read(Element(MesosFrameworkInfoJson.Write(info)), "info");

        Assert.Equal(info with { Roles = null, Capabilities = null }, read with { Roles = null, Capabilities = null });
        Assert.Equal(["web", "batch"], read.Roles!);
        Assert.Equal(["PARTITION_AWARE", "MULTI_ROLE"], read.Capabilities!);
    }

    [Theory]
    [InlineData("""{"name": "t"}""", "task.task_id is required")]
    [InlineData("""{"task_id": {"value": 7}}""", "task.task_id.value must be a string")]
    [InlineData("""{"task_id": {"value": "t"}, "command": {"value": "x", "arguments": ["a", 1]}}""", "task.command.arguments[1] must be a string")]
    [InlineData("""{"task_id": {"value": "t"}, "command": {"shell": true}}""", "task.command.value is required for a shell command")]
    [InlineData("""{"task_id": {"value": "t"}, "container": {"type": "DOCKER", "docker": {"image": "i", "network": "BRIDGE"}}}""", "task.container.docker.network BRIDGE is not supported (HOST is)")]
    [InlineData("""{"task_id": {"value": "t"}, "health_check": {"type": "GRPC"}}""", "task.health_check.type must be HTTP, TCP or COMMAND (is GRPC)")]
    [InlineData("""{"task_id": {"value": "t"}, "labels": {"labels": [{"value": "v"}]}}""", "task.labels.labels[0].key is required")]
    [InlineData("""{"task_id": {"value": "t"}, "resources": [{"name": "cpus", "scalar": {"value": -1}}]}""", "task.resources[0]: ")]
    [InlineData("""{"task_id": {"value": "t"}, "health_check": {"type": "TCP", "tcp": {"port": 1}, "interval_seconds": 0}}""", "task.health_check.interval_seconds must be greater than 0")]
    [InlineData("""{"task_id": {"value": "t"}, "health_check": {"type": "TCP", "tcp": {"port": 1}, "delay_seconds": -1}}""", "task.health_check.delay_seconds must not be negative")]
    [InlineData("""{"task_id": {"value": "t"}, "discovery": {"visibility": "FRAMEWORK", "ports": {"ports": [{"number": 0}]}}}""", "task.discovery.ports.ports[0].number 0 is not a port (1–65535)")]
    [InlineData("""{"task_id": {"value": "t"}, "discovery": {"visibility": "FRAMEWORK", "ports": {"ports": [{"number": 80, "protocol": "sctp"}]}}}""", "task.discovery.ports.ports[0].protocol sctp is not tcp, udp or udp,tcp")]
    [InlineData("""{"task_id": {"value": "t"}, "discovery": {"visibility": "FRAMEWORK", "ports": {"ports": [{"name": "http"}]}}}""", "task.discovery.ports.ports[0].number is required")]
    [InlineData("""{"task_id": {"value": "t"}, "container": {"type": "MESOS", "volumes": [{"container_path": "/abs", "host_path": "/srv"}]}}""", "task.container.volumes[0]: a MESOS container sees a host path through a link")]
    [InlineData("""{"task_id": {"value": "t"}, "container": {"type": "MESOS", "volumes": [{"container_path": "s", "source": {"type": "SANDBOX_PATH", "sandbox_path": {"type": "PARENT", "path": "../up"}}}]}}""", "task.container.volumes[0].source.sandbox_path: type must be PARENT or SELF")]
    [InlineData("""{"task_id": {"value": "t"}, "container": {"type": "MESOS", "volumes": [{"container_path": "s", "source": {"type": "CSI_VOLUME"}}]}}""", "task.container.volumes[0].source.type CSI_VOLUME is not supported")]
    [InlineData("""[1]""", "task must be an object")]
    public void A_malformed_task_info_is_refused_naming_the_path(string json, string message)
    {
        var refused = Assert.Throws<MesosJsonException>(() => MesosTaskInfoJson.Read(JsonDocument.Parse(json).RootElement, "task"));
        Assert.StartsWith(message, refused.Message);
    }

    [Fact]
    public void Extreme_durations_are_kept_within_what_a_clock_holds()
    {
        var read = MesosTaskInfoJson.Read(JsonDocument.Parse("""
            {"task_id": {"value": "t"}, "kill_policy": {"grace_period": {"nanoseconds": 1e300}},
             "health_check": {"type": "TCP", "tcp": {"port": 1}, "interval_seconds": 1e300, "timeout_seconds": 1e300}}
            """).RootElement, "task");
        var longest = MesosDurations.Longest.TotalSeconds;
        Assert.Equal(longest, read.KillGracePeriodSeconds);
        Assert.Equal(longest, read.HealthCheck!.IntervalSeconds);
        Assert.Equal(longest, read.HealthCheck.TimeoutSeconds);
        Assert.Equal(TimeSpan.FromDays(365), TimeSpan.FromSeconds(read.KillGracePeriodSeconds!.Value)); // the agent's timers take it
    }

    [Fact]
    public void Duplicate_labels_and_variables_keep_the_last_instead_of_failing()
    {
        var read = MesosTaskInfoJson.Read(JsonDocument.Parse("""
            {"task_id": {"value": "t"}, "labels": {"labels": [{"key": "a", "value": "1"}, {"key": "a", "value": "2"}]},
             "command": {"value": "x", "environment": {"variables": [{"name": "A", "value": "1"}, {"name": "A", "value": "2"}]}}}
            """).RootElement, "task");
        Assert.Equal("2", read.Labels!["a"]);
        Assert.Equal("2", read.Command!.Environment!["A"]);
    }

    [Theory]
    [InlineData("""{"task_id": {"value": "t"}, "state": "TASK_NOPE"}""", "status.state TASK_NOPE is not one of")]
    [InlineData("""{"task_id": {"value": "t"}, "state": "1"}""", "status.state 1 is not one of")]
    [InlineData("""{"task_id": {"value": "t"}, "state": "TASK_RUNNING", "uuid": "AAAA"}""", "status.uuid must be 16 bytes in base64")]
    public void A_malformed_status_is_refused_naming_the_path(string json, string message)
    {
        var refused = Assert.Throws<MesosJsonException>(() => MesosTaskStatusJson.Read(JsonDocument.Parse(json).RootElement, "status"));
        Assert.StartsWith(message, refused.Message);
    }
}

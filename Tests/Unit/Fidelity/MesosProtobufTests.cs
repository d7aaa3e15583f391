using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Mesos.Protobuf.Scheduler;
using OrleansDcos.Silo.Master;
using Xunit;
using MesosProtobuf = OrleansDcos.Mesos.Protobuf.MesosProtobuf;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Fidelity;

/// <summary>
/// The scheduler API's protobuf codec against Mesos' wire: calls encoded here by hand, tag by tag, with the field
/// numbers of Mesos' v1 scheduler.proto and mesos.proto (as mesos-go would send them) read as the JSON Mesos defines;
/// events read back tag by tag; and everything the master writes or the SDK sends survives protobuf unchanged, so
/// no field is lost to a message definition that lacks it.
/// </summary>
[Trait("Area", "Fidelity")]
public sealed class MesosProtobufTests
{
    [Fact]
    public void A_SUBSCRIBE_encoded_with_Mesos_field_numbers_reads_as_Mesos_JSON()
    {
        // Call { type(2) = SUBSCRIBE(1); subscribe(3) { framework_info(1) { user(1), name(2), failover_timeout(4),
        // roles(12), capabilities(10) { type(1) = MULTI_ROLE(6) }, hostname(7), webui_url(9) } } }
        var info = Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteString("root");
            w.WriteTag(2, WireFormat.WireType.LengthDelimited); w.WriteString("go");
            w.WriteTag(4, WireFormat.WireType.Fixed64); w.WriteDouble(60);
            w.WriteTag(12, WireFormat.WireType.LengthDelimited); w.WriteString("web");
            w.WriteTag(10, WireFormat.WireType.LengthDelimited); w.WriteBytes(Message(c => { c.WriteTag(1, WireFormat.WireType.Varint); c.WriteEnum(6); }));
            w.WriteTag(7, WireFormat.WireType.LengthDelimited); w.WriteString("h1");
            w.WriteTag(9, WireFormat.WireType.LengthDelimited); w.WriteString("http://h1/ui");
        });
        var call = Message(w =>
        {
            w.WriteTag(2, WireFormat.WireType.Varint); w.WriteEnum(1);
            w.WriteTag(3, WireFormat.WireType.LengthDelimited); w.WriteBytes(Message(s => { s.WriteTag(1, WireFormat.WireType.LengthDelimited); s.WriteBytes(info); }));
        });

        var json = MesosProtobuf.ToJson(Call.Parser.ParseFrom(call));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"go","failover_timeout":60,"hostname":"h1",
             "webui_url":"http://h1/ui","capabilities":[{"type":"MULTI_ROLE"}],"roles":["web"]}}}
            """), json), json.ToJsonString());
        var read = MesosFrameworkInfoJson.Read(Element(json["subscribe"]!["framework_info"]!), "call.subscribe.framework_info");
        Assert.Equal(("go", "root", 60.0, "h1", "http://h1/ui"), (read.Name, read.User, read.FailoverTimeoutSeconds, read.Hostname, read.WebuiUrl));
        Assert.Equal(["web"], read.EffectiveRoles);
    }

    [Fact]
    public void An_ACCEPT_with_a_LAUNCH_encoded_with_Mesos_field_numbers_reads_as_the_task_it_launches()
    {
        static ByteString Id(string value) => Message(w => { w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteString(value); });

        // Resource { name(1), type(2) = SCALAR(0) | RANGES(1), scalar(3) { value(1) }, ranges(4) { range(1) { begin(1), end(2) } } }
        var cpus = Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteString("cpus");
            w.WriteTag(2, WireFormat.WireType.Varint); w.WriteEnum(0);
            w.WriteTag(3, WireFormat.WireType.LengthDelimited); w.WriteBytes(Message(s => { s.WriteTag(1, WireFormat.WireType.Fixed64); s.WriteDouble(0.5); }));
        });
        var ports = Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteString("ports");
            w.WriteTag(2, WireFormat.WireType.Varint); w.WriteEnum(1);
            w.WriteTag(4, WireFormat.WireType.LengthDelimited); w.WriteBytes(Message(r => { r.WriteTag(1, WireFormat.WireType.LengthDelimited); r.WriteBytes(Message(x => { x.WriteTag(1, WireFormat.WireType.Varint); x.WriteUInt64(31000); x.WriteTag(2, WireFormat.WireType.Varint); x.WriteUInt64(31001); })); }));
        });

        // TaskInfo { name(1), task_id(2), agent_id(3), resources(4), command(7) { value(3), shell(6) }, kill_policy(12) { grace_period(1) { nanoseconds(1) } } }
        var task = Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteString("web");
            w.WriteTag(2, WireFormat.WireType.LengthDelimited); w.WriteBytes(Id("web.1"));
            w.WriteTag(3, WireFormat.WireType.LengthDelimited); w.WriteBytes(Id("agent-1"));
            w.WriteTag(4, WireFormat.WireType.LengthDelimited); w.WriteBytes(cpus);
            w.WriteTag(4, WireFormat.WireType.LengthDelimited); w.WriteBytes(ports);
            w.WriteTag(7, WireFormat.WireType.LengthDelimited); w.WriteBytes(Message(c => { c.WriteTag(3, WireFormat.WireType.LengthDelimited); c.WriteString("sleep 1"); c.WriteTag(6, WireFormat.WireType.Varint); c.WriteBool(true); }));
            w.WriteTag(12, WireFormat.WireType.LengthDelimited); w.WriteBytes(Message(k => { k.WriteTag(1, WireFormat.WireType.LengthDelimited); k.WriteBytes(Message(d => { d.WriteTag(1, WireFormat.WireType.Varint); d.WriteInt64(2_500_000_000); })); }));
        });

        // Call { framework_id(1), type(2) = ACCEPT(3), accept(4) { offer_ids(1), operations(2) { type(1) = LAUNCH(1), launch(2) { task_infos(1) } }, filters(3) { refuse_seconds(1) } } }
        var call = Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteBytes(Id("fw-1"));
            w.WriteTag(2, WireFormat.WireType.Varint); w.WriteEnum(3);
            w.WriteTag(4, WireFormat.WireType.LengthDelimited); w.WriteBytes(Message(a =>
            {
                a.WriteTag(1, WireFormat.WireType.LengthDelimited); a.WriteBytes(Id("offer-1"));
                a.WriteTag(2, WireFormat.WireType.LengthDelimited); a.WriteBytes(Message(o =>
                {
                    o.WriteTag(1, WireFormat.WireType.Varint); o.WriteEnum(1);
                    o.WriteTag(2, WireFormat.WireType.LengthDelimited); o.WriteBytes(Message(l => { l.WriteTag(1, WireFormat.WireType.LengthDelimited); l.WriteBytes(task); }));
                }));
                a.WriteTag(3, WireFormat.WireType.LengthDelimited); a.WriteBytes(Message(f => { f.WriteTag(1, WireFormat.WireType.Fixed64); f.WriteDouble(30); }));
            }));
        });

        var json = MesosProtobuf.ToJson(Call.Parser.ParseFrom(call));

        Assert.Equal("ACCEPT", json["type"]!.GetValue<string>());
        Assert.Equal("fw-1", json["framework_id"]!["value"]!.GetValue<string>());
        Assert.Equal("offer-1", json["accept"]!["offer_ids"]![0]!["value"]!.GetValue<string>());
        Assert.Equal(30, json["accept"]!["filters"]!["refuse_seconds"]!.GetValue<double>());
        var operation = MesosTaskInfoJson.ReadOperation(Element(json["accept"]!["operations"]![0]!), "call.accept.operations[0]");
        Assert.Equal(OfferOperationTypes.Launch, operation.Type);
        var launched = Assert.Single(operation.Tasks);
        Assert.Equal(("web.1", "web", "sleep 1", 2.5), (launched.TaskId, launched.Name, launched.Command!.Value, launched.KillGracePeriodSeconds));
        Assert.Equal(Res.Parse("cpus:0.5;ports:[31000-31001]"), launched.Resources);
    }

    [Fact]
    public void An_UPDATE_written_in_protobuf_carries_Mesos_field_numbers_and_enum_values()
    {
        var uuid = Guid.NewGuid();
        var update = new TaskStatusEvent("agent-1", new TaskStatusUpdate("t1", "fw", TaskState.TASK_RUNNING, uuid, 1700000000.5, TaskReasons.HealthCheckUpdated, "checked", true, "c-1"), "SOURCE_AGENT", "127.0.0.2");
        var bytes = MesosProtobuf.FromJson<Event>(MesosEventJson.Write(new FrameworkEvent(FrameworkEventTypes.Update, Status: update))).ToByteArray();

        // Event { type(1) = UPDATE(4); update(5) { status(1) { ... } } }
        var @event = Fields(bytes);
        Assert.Equal(4UL, @event[1].Single().Varint);
        var status = Fields(Fields(@event[5].Single().Bytes)[1].Single().Bytes);
        Assert.Equal("t1", Text(Fields(status[1].Single().Bytes)[1].Single()));             // task_id
        Assert.Equal(1UL, status[2].Single().Varint);                                        // state TASK_RUNNING = 1
        Assert.Equal("checked", Text(status[4].Single()));                                   // message
        Assert.Equal("agent-1", Text(Fields(status[5].Single().Bytes)[1].Single()));        // agent_id
        Assert.Equal(1700000000.5, BitConverter.Int64BitsToDouble((long)status[6].Single().Varint)); // timestamp (fixed64)
        Assert.Equal("t1", Text(Fields(status[7].Single().Bytes)[1].Single()));             // executor_id
        Assert.Equal(1UL, status[8].Single().Varint);                                        // healthy
        Assert.Equal(1UL, status[9].Single().Varint);                                        // source SOURCE_AGENT = 1
        Assert.Equal(29UL, status[10].Single().Varint);                                      // reason REASON_TASK_HEALTH_CHECK_STATUS_UPDATED = 29
        Assert.Equal(uuid.ToByteArray(bigEndian: true), status[11].Single().Bytes);         // uuid, 16 bytes
        var container = Fields(status[13].Single().Bytes);                                   // container_status
        Assert.Equal("c-1", Text(Fields(container[4].Single().Bytes)[1].Single()));         // container_id
        var address = Fields(Fields(container[1].Single().Bytes)[5].Single().Bytes);        // network_infos[0].ip_addresses[0]
        Assert.Equal(1UL, address[1].Single().Varint);                                       // protocol IPv4 = 1
        Assert.Equal("127.0.0.2", Text(address[2].Single()));                                // ip_address
    }

    public static TheoryData<string> MasterEvents() => [.. Events().Keys];

    [Theory]
    [MemberData(nameof(MasterEvents))]
    public void Every_event_the_master_writes_survives_protobuf_unchanged(string name)
    {
        var json = Events()[name];

        var back = MesosProtobuf.ToJson(Event.Parser.ParseFrom(MesosProtobuf.FromJson<Event>(json).ToByteArray()));

        Assert.True(JsonNode.DeepEquals(json, back), $"{json.ToJsonString()}\n{back.ToJsonString()}");
    }

    public static TheoryData<string> SdkCalls() => [.. Calls().Keys];

    [Theory]
    [MemberData(nameof(SdkCalls))]
    public void Every_call_a_framework_sends_survives_protobuf_unchanged(string name)
    {
        var json = Calls()[name];

        var back = MesosProtobuf.ToJson(Call.Parser.ParseFrom(MesosProtobuf.FromJson<Call>(json).ToByteArray()));

        Assert.True(JsonNode.DeepEquals(json, back), $"{json.ToJsonString()}\n{back.ToJsonString()}");
    }

    [Fact]
    public void Reasons_of_ours_are_told_as_Mesos_tells_them()
    {
        Assert.Equal(TaskReasons.HealthCheckUpdated, TaskReasons.OnWire(TaskState.TASK_RUNNING, TaskReasons.Unhealthy));
        Assert.Null(TaskReasons.OnWire(TaskState.TASK_KILLED, TaskReasons.Unhealthy));
        var reasons = typeof(TaskReasons).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!).Where(r => r != TaskReasons.Unhealthy);
        Assert.All(reasons, r => Assert.NotNull(OrleansDcos.Mesos.Protobuf.TaskStatus.Descriptor.EnumTypes.Single(e => e.Name == "Reason").FindValueByName(r)));
    }

    private static Dictionary<string, JsonObject> Events()
    {
        var offer = new OfferInfo("o-1", "fw", "agent-1", "h1", "web", Res.Parse("cpus:4;mem:512;ports:[31000-31099];cpus(web):1;disks:{a,b}"), "rack:r1;level:10", "127.0.0.2", 5052, "eu", "eu-1a");
        var statuses = new[]
        {
            new TaskStatusEvent("agent-1", new TaskStatusUpdate("t1", "fw", TaskState.TASK_RUNNING, Guid.NewGuid(), 1.5, TaskReasons.HealthCheckUpdated, "m", false, "c-1"), "SOURCE_AGENT", "127.0.0.2"),
            new TaskStatusEvent("agent-1", new TaskStatusUpdate("t1", "fw", TaskState.TASK_UNREACHABLE, Guid.Empty, 2.5, TaskReasons.AgentDisconnected, "gone"), MasterStreams.SourceMaster),
            new TaskStatusEvent("agent-1", new TaskStatusUpdate("t1", "fw", TaskState.TASK_FAILED, Guid.NewGuid(), 3, TaskReasons.CommandExited, "exit 1"), "SOURCE_EXECUTOR"),
        };
        var events = new Dictionary<string, JsonObject>
        {
            ["SUBSCRIBED"] = new()
            {
                ["type"] = "SUBSCRIBED",
                ["subscribed"] = new JsonObject
                {
                    ["framework_id"] = MesosIdJson.Of("fw"),
                    ["heartbeat_interval_seconds"] = 15.0,
                    ["master_info"] = new MesosMaster("m-1", "127.0.0.2", IPAddress.Parse("127.0.0.2"), 5050).Info(),
                },
            },
            ["HEARTBEAT"] = new() { ["type"] = "HEARTBEAT" },
            ["OFFERS"] = MesosEventJson.Write(new FrameworkEvent(FrameworkEventTypes.Offers, Offers: [offer, offer with { OfferId = "o-2", Region = null, Zone = null }])),
            ["RESCIND"] = MesosEventJson.Write(new FrameworkEvent(FrameworkEventTypes.Rescind, OfferId: "o-1")),
            ["FAILURE"] = MesosEventJson.Write(new FrameworkEvent(FrameworkEventTypes.Failure, AgentId: "agent-1")),
            ["ERROR"] = MesosEventJson.Write(new FrameworkEvent(FrameworkEventTypes.Error, Message: "torn down")),
        };
        foreach (var (status, i) in statuses.Select((s, i) => (s, i)))
        {
            events[$"UPDATE {status.Status.State} {i}"] = MesosEventJson.Write(new FrameworkEvent(FrameworkEventTypes.Update, Status: status));
        }

        return events;
    }

    private static Dictionary<string, JsonObject> Calls()
    {
        var task = new TaskSpec(
            "web.1", "web", "", "*", Res.Parse("cpus:0.5;mem:64;ports:[31000-31001];cpus(web):0.25"),
            new CommandSpec("./run $PORT0", true, ["a", "b"], new Dictionary<string, string> { ["A"] = "1" }, [new UriSpec("http://127.0.0.1/x.tgz", Extract: true, Cache: true, OutputFile: "x.tgz")], "nobody"),
            new DockerSpec("local/busybox:1", ForcePullImage: true, [new VolumeSpec("/tmp/a", "/a", "RO")]),
            new HealthCheckSpecDto("HTTPS", Port: 31000, Path: "/health", GracePeriodSeconds: 10, IntervalSeconds: 2, TimeoutSeconds: 1, MaxConsecutiveFailures: 3, DelaySeconds: 0),
            KillGracePeriodSeconds: 2.5,
            Labels: new Dictionary<string, string> { ["tier"] = "front" },
            Discovery: new DiscoverySpec([new DiscoveryPortSpec(31000, "http", "tcp"), new DiscoveryPortSpec(31001)], HealthChecked: true));
        var tcp = task with { TaskId = "tcp", Docker = null, HealthCheck = new HealthCheckSpecDto("TCP", Port: 31001, IntervalSeconds: 1, TimeoutSeconds: 1) };
        var command = task with { TaskId = "cmd", Command = new CommandSpec(null, false, ["/bin/true"]), HealthCheck = new HealthCheckSpecDto("COMMAND", Command: "true", IntervalSeconds: 1, TimeoutSeconds: 1) };
        JsonObject Call(string type, JsonObject? body = null)
        {
            var call = new JsonObject { ["type"] = type, ["framework_id"] = MesosIdJson.Of("fw") };
            if (body is not null)
            {
                call[type.ToLowerInvariant()] = body;
            }

            return call;
        }

        var info = new FrameworkInfo("fw", "marathon", "root", ["web", "*"], "ops", 604800, ["PARTITION_AWARE", "GPU_RESOURCES"], "h1", "http://h1:8080");
        return new Dictionary<string, JsonObject>
        {
            ["SUBSCRIBE"] = new() { ["type"] = "SUBSCRIBE", ["subscribe"] = new JsonObject { ["framework_info"] = MesosFrameworkInfoJson.Write(info) } },
            ["ACCEPT LAUNCH"] = Call("ACCEPT", new JsonObject
            {
                ["offer_ids"] = new JsonArray(MesosIdJson.Of("o-1"), MesosIdJson.Of("o-2")),
                ["operations"] = new JsonArray(MesosTaskInfoJson.WriteOperation(new OfferOperation(OfferOperationTypes.Launch, [task, tcp, command]))),
                ["filters"] = new JsonObject { ["refuse_seconds"] = 30.0 },
            }),
            ["ACCEPT LAUNCH_GROUP"] = Call("ACCEPT", new JsonObject
            {
                ["offer_ids"] = new JsonArray(MesosIdJson.Of("o-1")),
                ["operations"] = new JsonArray(MesosTaskInfoJson.WriteOperation(new OfferOperation(OfferOperationTypes.LaunchGroup, [task, tcp]))),
            }),
            ["DECLINE"] = Call("DECLINE", new JsonObject { ["offer_ids"] = new JsonArray(MesosIdJson.Of("o-1")), ["filters"] = new JsonObject { ["refuse_seconds"] = 5.0 } }),
            ["REVIVE"] = Call("REVIVE", new JsonObject { ["roles"] = new JsonArray("web") }),
            ["SUPPRESS"] = Call("SUPPRESS", new JsonObject { ["roles"] = new JsonArray("web", "*") }),
            ["KILL"] = Call("KILL", new JsonObject
            {
                ["task_id"] = MesosIdJson.Of("t1"),
                ["agent_id"] = MesosIdJson.Of("agent-1"),
                ["kill_policy"] = new JsonObject { ["grace_period"] = new JsonObject { ["nanoseconds"] = 3_000_000_000L } },
            }),
            ["ACKNOWLEDGE"] = Call("ACKNOWLEDGE", new JsonObject { ["agent_id"] = MesosIdJson.Of("agent-1"), ["task_id"] = MesosIdJson.Of("t1"), ["uuid"] = MesosIdJson.UuidOf(Guid.NewGuid()) }),
            ["RECONCILE"] = Call("RECONCILE", new JsonObject { ["tasks"] = new JsonArray(new JsonObject { ["task_id"] = MesosIdJson.Of("t1"), ["agent_id"] = MesosIdJson.Of("agent-1") }) }),
            ["TEARDOWN"] = Call("TEARDOWN"),
        };
    }

    private static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node);

    private static ByteString Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return ByteString.CopyFrom(buffer.ToArray());
    }

    private static string Text(WireField field) => System.Text.Encoding.UTF8.GetString(field.Bytes);

    /// <summary>A message's fields by number, read tag by tag (varints and fixed64 as numbers, the rest as bytes).</summary>
    private static Dictionary<int, List<WireField>> Fields(byte[] message)
    {
        var fields = new Dictionary<int, List<WireField>>();
        var input = new CodedInputStream(message);
        while (input.ReadTag() is var tag and not 0)
        {
            var field = WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.Varint => new WireField(input.ReadUInt64(), []),
                WireFormat.WireType.Fixed64 => new WireField(input.ReadFixed64(), []),
                WireFormat.WireType.LengthDelimited => new WireField(0, input.ReadBytes().ToByteArray()),
                var other => throw new InvalidOperationException($"unexpected wire type {other}"),
            };
            (fields.TryGetValue(WireFormat.GetTagFieldNumber(tag), out var list) ? list : fields[WireFormat.GetTagFieldNumber(tag)] = []).Add(field);
        }

        return fields;
    }

    private static Dictionary<int, List<WireField>> Fields(ByteString message) => Fields(message.ToByteArray());

    private sealed record WireField(ulong Varint, byte[] Bytes);
}

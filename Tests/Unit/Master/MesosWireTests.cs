using System.Text.Json.Nodes;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Silo.Master;
using Xunit;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Master;

/// <summary>
/// The master's JSON against the field names of Mesos' v1 protobuf messages (include/mesos/v1/mesos.proto): nothing
/// is misspelled or invented, and every field the master can fill is there.
/// </summary>
[Trait("Area", "Master")]
public sealed class MesosWireTests
{
    // Field names of the v1 messages, as mesos.proto declares them.
    private static readonly string[] OfferFields = ["id", "framework_id", "agent_id", "hostname", "url", "domain", "resources", "attributes", "executor_ids", "unavailability", "allocation_info", "operations"];
    private static readonly string[] UrlFields = ["scheme", "address", "path", "query", "fragment"];
    private static readonly string[] AddressFields = ["hostname", "ip", "port"];
    private static readonly string[] DomainFields = ["fault_domain"];
    private static readonly string[] FaultDomainFields = ["region", "zone"];
    private static readonly string[] AllocationInfoFields = ["role"];
    private static readonly string[] TaskStatusFields = ["task_id", "state", "message", "source", "reason", "data", "agent_id", "executor_id", "timestamp", "uuid", "healthy", "check_status", "labels", "container_status", "unreachable_time", "limitation"];
    private static readonly string[] ContainerStatusFields = ["container_id", "network_infos", "cgroup_info", "executor_pid"];
    private static readonly string[] TimeInfoFields = ["nanoseconds"];

    [Fact]
    public void An_offer_has_Mesos_field_names_and_the_agents_url_and_fault_domain()
    {
        var offer = MesosOfferJson.Write(new OfferInfo("o-1", "fw-1", "agent-1", "node-1", "*", Res.Parse("cpus:2;mem:512;ports:[31000-31009]"), "rack:r1",
            Address: "10.0.0.7", Port: 5051, Region: "eu", Zone: "eu-1a"));

        AssertFields(offer, OfferFields, required: ["id", "framework_id", "agent_id", "hostname", "url", "domain", "resources", "attributes", "allocation_info"]);
        AssertFields(offer["url"]!.AsObject(), UrlFields, required: ["scheme", "address"]);
        AssertFields(offer["url"]!["address"]!.AsObject(), AddressFields, required: ["hostname", "ip", "port"]);
        AssertFields(offer["domain"]!.AsObject(), DomainFields, required: ["fault_domain"]);
        AssertFields(offer["domain"]!["fault_domain"]!.AsObject(), FaultDomainFields, required: ["region", "zone"]);
        AssertFields(offer["allocation_info"]!.AsObject(), AllocationInfoFields, required: ["role"]);
        Assert.Equal("10.0.0.7", offer["url"]!["address"]!["ip"]!.GetValue<string>());
        Assert.Equal(5051, offer["url"]!["address"]!["port"]!.GetValue<int>());
    }

    [Fact]
    public void An_agent_without_a_fault_domain_has_no_domain()
    {
        var offer = MesosOfferJson.Write(new OfferInfo("o-1", "fw-1", "agent-1", "node-1", "*", Res.Parse("cpus:2"), ""));
        Assert.False(offer.ContainsKey("domain"));
        Assert.Equal("node-1", offer["url"]!["address"]!["ip"]!.GetValue<string>());
    }

    [Fact]
    public void A_task_status_has_Mesos_field_names_and_every_field_the_master_knows()
    {
        var uuid = Guid.NewGuid();
        var status = MesosTaskStatusJson.Write(new TaskStatusEvent("agent-1",
            new TaskStatusUpdate("web.1", "fw-1", TaskState.TASK_UNREACHABLE, uuid, 1_700_000_000.5, TaskReasons.AgentDisconnected, "agent 'agent-1' is unreachable", false, "web.1-c0ffee"),
            MasterStreams.SourceMaster));

        AssertFields(status, TaskStatusFields, required: ["task_id", "state", "message", "source", "reason", "agent_id", "timestamp", "uuid", "healthy", "container_status", "unreachable_time"]);
        AssertFields(status["container_status"]!.AsObject(), ContainerStatusFields, required: ["container_id"]);
        AssertFields(status["unreachable_time"]!.AsObject(), TimeInfoFields, required: ["nanoseconds"]);
        Assert.Equal("web.1-c0ffee", status["container_status"]!["container_id"]!["value"]!.GetValue<string>());
        Assert.Equal(1_700_000_000_500_000_000L, status["unreachable_time"]!["nanoseconds"]!.GetValue<long>());
        Assert.Equal(Convert.ToBase64String(uuid.ToByteArray(bigEndian: true)), status["uuid"]!.GetValue<string>());
        Assert.Equal("SOURCE_MASTER", status["source"]!.GetValue<string>());
    }

    [Fact]
    public void A_RecordIO_record_is_its_byte_length_a_newline_and_the_json()
    {
        var frame = RecordIo.Frame(new JsonObject { ["type"] = "HEARTBEAT", ["note"] = "été" });
        var newline = Array.IndexOf(frame, (byte)'\n');
        var json = frame.AsSpan(newline + 1);
        Assert.Equal(json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Text.Encoding.ASCII.GetString(frame, 0, newline));
        Assert.Equal("été", JsonNode.Parse(json)!["note"]!.GetValue<string>());
    }

    private static void AssertFields(JsonObject json, string[] known, string[] required)
    {
        Assert.Empty(json.Select(p => p.Key).Except(known));
        Assert.Empty(required.Except(json.Select(p => p.Key)));
    }
}

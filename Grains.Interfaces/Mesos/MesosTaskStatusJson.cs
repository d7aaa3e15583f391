using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Master;
using static OrleansDcos.Mesos.MesosJsonReader;

namespace OrleansDcos.Mesos;

/// <summary>Mesos' v1 <c>TaskStatus</c> (ids as objects, the uuid in base64): written by the scheduler API, read by the client SDK.</summary>
public static class MesosTaskStatusJson
{
    /// <summary>
    /// A status's <c>container_status.network_infos</c>: tasks share their agent's network (host networking), so Mesos
    /// reports the agent's IP as the container's while the task is starting, running or being killed; else null.
    /// </summary>
    public static JsonArray? NetworkInfos(TaskState state, string? agentIp) =>
        agentIp is not null && state is TaskState.TASK_STARTING or TaskState.TASK_RUNNING or TaskState.TASK_KILLING
            ? new JsonArray(new JsonObject { ["ip_addresses"] = new JsonArray(new JsonObject { ["protocol"] = "IPv4", ["ip_address"] = agentIp }) })
            : null;

    /// <summary>Writes <paramref name="update"/>.</summary>
    public static JsonObject Write(TaskStatusEvent update)
    {
        var status = update.Status;
        var json = new JsonObject
        {
            ["task_id"] = MesosIdJson.Of(status.TaskId),
            ["state"] = status.State.ToString(),
            ["source"] = update.Source,
            ["timestamp"] = status.Timestamp,
        };
        if (update.AgentId.Length > 0)
        {
            json["agent_id"] = MesosIdJson.Of(update.AgentId);
        }

        if (update.Source != MasterStreams.SourceMaster)
        {
            // Tasks run under Mesos' command executor, whose id is the task's.
            json["executor_id"] = MesosIdJson.Of(status.TaskId);
        }

        if (status.Uuid != Guid.Empty)
        {
            json["uuid"] = MesosIdJson.UuidOf(status.Uuid);
        }

        if (TaskReasons.OnWire(status.State, status.Reason) is { } reason)
        {
            json["reason"] = reason;
        }

        if (status.Message is not null)
        {
            json["message"] = status.Message;
        }

        if (status.Healthy is { } healthy)
        {
            json["healthy"] = healthy;
        }

        var containerStatus = new JsonObject();
        if (status.ContainerId is { Length: > 0 } container)
        {
            containerStatus["container_id"] = MesosIdJson.Of(container);
        }

        if (NetworkInfos(status.State, update.AgentIp) is { } networks)
        {
            containerStatus["network_infos"] = networks;
        }

        if (containerStatus.Count > 0)
        {
            json["container_status"] = containerStatus;
        }

        if (status.State == TaskState.TASK_UNREACHABLE)
        {
            json["unreachable_time"] = new JsonObject { ["nanoseconds"] = (long)(status.Timestamp * 1e9) };
        }

        return json;
    }

    /// <summary>Reads a status (the framework id is not part of Mesos' <c>TaskStatus</c>: it is left empty).</summary>
    /// <exception cref="MesosJsonException">A field is missing or of the wrong kind.</exception>
    public static TaskStatusEvent Read(JsonElement status, string path)
    {
        var container = Optional(status, "container_status", path);
        var network = container is { } c ? Array(c, "network_infos", $"{path}.container_status").FirstOrDefault() : default;
        var address = network.ValueKind == JsonValueKind.Object ? Array(network, "ip_addresses", $"{path}.container_status.network_infos[0]").FirstOrDefault() : default;
        return new(
        OptionalId(status, "agent_id", path) ?? "",
        new TaskStatusUpdate(
            Id(status, "task_id", path),
            "",
            Enum<TaskState>(status, "state", path),
            OptionalUuid(status, "uuid", path) ?? Guid.Empty,
            OptionalNumber(status, "timestamp", path) ?? 0,
            OptionalString(status, "reason", path),
            OptionalString(status, "message", path),
            OptionalBool(status, "healthy", path),
            container is { } withId ? OptionalId(withId, "container_id", $"{path}.container_status") : null),
        OptionalString(status, "source", path) ?? "",
        address.ValueKind == JsonValueKind.Object ? OptionalString(address, "ip_address", $"{path}.container_status.network_infos[0].ip_addresses[0]") : null);
    }
}

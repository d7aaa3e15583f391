using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Silo.Api;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// The Mesos v1 JSON shapes (ids as <c>{"value": …}</c>, resources as typed arrays, uuids in base64) read into
/// the master's records and written back. Reading fails with <see cref="BadRequestException"/> naming the field.
/// </summary>
public static class MesosJson
{
    // ------------------------------------------------------------------ reading

    /// <summary>A required property.</summary>
    public static JsonElement Required(JsonElement element, string name, string path) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new BadRequestException($"{path}.{name} is required");

    /// <summary>An optional property.</summary>
    public static JsonElement? Optional(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A required string.</summary>
    public static string String(JsonElement element, string name, string path) =>
        Required(element, name, path) is { ValueKind: JsonValueKind.String } value ? value.GetString()! : throw new BadRequestException($"{path}.{name} must be a string");

    /// <summary>An optional string.</summary>
    public static string? OptionalString(JsonElement element, string name, string path) => Optional(element, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw new BadRequestException($"{path}.{name} must be a string"),
    };

    /// <summary>An optional number.</summary>
    public static double? OptionalNumber(JsonElement element, string name, string path) => Optional(element, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value => value.GetDouble(),
        _ => throw new BadRequestException($"{path}.{name} must be a number"),
    };

    /// <summary>An optional boolean.</summary>
    public static bool? OptionalBool(JsonElement element, string name, string path) => Optional(element, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw new BadRequestException($"{path}.{name} must be true or false"),
    };

    /// <summary>An array (empty when absent).</summary>
    public static IEnumerable<JsonElement> Array(JsonElement element, string name, string path) => Optional(element, name) switch
    {
        null => [],
        { ValueKind: JsonValueKind.Array } value => value.EnumerateArray().ToArray(),
        _ => throw new BadRequestException($"{path}.{name} must be an array"),
    };

    /// <summary>An id object <c>{"value": "…"}</c>.</summary>
    public static string Id(JsonElement element, string name, string path) => String(Required(element, name, path), "value", $"{path}.{name}");

    /// <summary>An optional id object.</summary>
    public static string? OptionalId(JsonElement element, string name, string path) =>
        Optional(element, name) is { } id ? String(id, "value", $"{path}.{name}") : null;

    /// <summary>A uuid in base64 (16 bytes).</summary>
    public static Guid Uuid(JsonElement element, string name, string path)
    {
        var text = String(element, name, path);
        try
        {
            var bytes = Convert.FromBase64String(text);
            return bytes.Length == 16 ? new Guid(bytes) : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new BadRequestException($"{path}.{name} must be 16 bytes in base64");
        }
    }

    /// <summary><c>framework_info</c>.</summary>
    public static FrameworkInfo FrameworkInfo(JsonElement info, string path)
    {
        var roles = Array(info, "roles", path).Select((r, i) => r.ValueKind == JsonValueKind.String ? r.GetString()! : throw new BadRequestException($"{path}.roles[{i}] must be a string")).ToList();
        if (roles.Count == 0 && OptionalString(info, "role", path) is { } role)
        {
            roles.Add(role);
        }

        var capabilities = Array(info, "capabilities", path).Select((c, i) => String(c, "type", $"{path}.capabilities[{i}]")).ToArray();
        return new FrameworkInfo(
            OptionalId(info, "id", path),
            OptionalString(info, "name", path) ?? throw new BadRequestException($"{path}.name is required"),
            OptionalString(info, "user", path) ?? "",
            roles,
            OptionalString(info, "principal", path),
            OptionalNumber(info, "failover_timeout", path) ?? 0,
            capabilities,
            OptionalString(info, "hostname", path),
            OptionalString(info, "webui_url", path));
    }

    /// <summary>A resource array as Mesos text (<c>cpus:1;mem:128;ports:[31000-31000]</c>), validated (<see cref="MesosResourceJson"/>).</summary>
    public static string Resources(IEnumerable<JsonElement> resources, string path)
    {
        try
        {
            return MesosResourceJson.FromJson(resources, path);
        }
        catch (MesosJsonException ex)
        {
            throw new BadRequestException(ex.Message);
        }
    }

    /// <summary>A <c>TaskInfo</c> as the master launches it (framework and role are filled in by the framework grain).</summary>
    public static TaskSpec TaskInfo(JsonElement task, string path)
    {
        var taskId = Id(task, "task_id", path);
        if (Optional(task, "executor") is { } executor && MesosIds.Problem(Id(executor, "executor_id", $"{path}.executor"), $"{path}.executor.executor_id") is { } badExecutor)
        {
            // The task itself is judged by the master (a bad task_id is its TASK_ERROR); an executor id is judged here.
            throw new BadRequestException(badExecutor);
        }

        var command = Optional(task, "command") is { } c ? Command(c, $"{path}.command") : null;
        DockerSpec? docker = null;
        if (Optional(task, "container") is { } container)
        {
            var type = OptionalString(container, "type", $"{path}.container") ?? "MESOS";
            var volumes = Array(container, "volumes", $"{path}.container").Select((v, i) => new VolumeSpec(
                String(v, "host_path", $"{path}.container.volumes[{i}]"),
                String(v, "container_path", $"{path}.container.volumes[{i}]"),
                OptionalString(v, "mode", $"{path}.container.volumes[{i}]") ?? "RW")).ToArray();
            if (type == "DOCKER")
            {
                var d = Required(container, "docker", $"{path}.container");
                var network = OptionalString(d, "network", $"{path}.container.docker") ?? "HOST";
                if (network != "HOST")
                {
                    throw new BadRequestException($"{path}.container.docker.network {network} is not supported (HOST is)");
                }

                docker = new DockerSpec(String(d, "image", $"{path}.container.docker"), OptionalBool(d, "force_pull_image", $"{path}.container.docker") ?? false, volumes);
            }
            else if (type != "MESOS")
            {
                throw new BadRequestException($"{path}.container.type must be DOCKER or MESOS (is {type})");
            }
        }

        var labels = Optional(task, "labels") is { } l
            ? Array(l, "labels", $"{path}.labels").ToDictionary(x => String(x, "key", $"{path}.labels"), x => OptionalString(x, "value", $"{path}.labels") ?? "")
            : null;
        var grace = Optional(task, "kill_policy") is { } policy && Optional(policy, "grace_period") is { } period
            ? (OptionalNumber(period, "nanoseconds", $"{path}.kill_policy.grace_period") ?? 0) / 1e9
            : (double?)null;
        return new TaskSpec(
            taskId,
            OptionalString(task, "name", path) ?? taskId,
            FrameworkId: "",
            Role: Resource.AnyRole,
            Resources(Array(task, "resources", path), $"{path}.resources"),
            command,
            docker,
            Optional(task, "health_check") is { } h ? HealthCheck(h, $"{path}.health_check") : null,
            grace,
            labels);
    }

    /// <summary>The tasks of an offer operation (LAUNCH or LAUNCH_GROUP).</summary>
    public static OfferOperation Operation(JsonElement operation, string path)
    {
        var type = String(operation, "type", path);
        var tasks = type switch
        {
            "LAUNCH" => Array(Required(operation, "launch", path), "task_infos", $"{path}.launch"),
            "LAUNCH_GROUP" => Array(Required(Required(operation, "launch_group", path), "task_group", $"{path}.launch_group"), "tasks", $"{path}.launch_group.task_group"),
            _ => throw new BadRequestException($"{path}.type {type} is not supported (LAUNCH and LAUNCH_GROUP are)"),
        };
        return new OfferOperation(type, tasks.Select((t, i) => TaskInfo(t, $"{path}.tasks[{i}]")).ToArray());
    }

    private static CommandSpec Command(JsonElement command, string path)
    {
        var environment = Optional(command, "environment") is { } env
            ? Array(env, "variables", $"{path}.environment").ToDictionary(v => String(v, "name", $"{path}.environment.variables"), v => OptionalString(v, "value", $"{path}.environment.variables") ?? "")
            : null;
        var uris = Array(command, "uris", path).Select((u, i) => new UriSpec(
            String(u, "value", $"{path}.uris[{i}]"),
            OptionalBool(u, "extract", $"{path}.uris[{i}]") ?? true,
            OptionalBool(u, "executable", $"{path}.uris[{i}]") ?? false,
            OptionalBool(u, "cache", $"{path}.uris[{i}]") ?? false,
            OptionalString(u, "output_file", $"{path}.uris[{i}]"))).ToArray();
        var shell = OptionalBool(command, "shell", path) ?? true;
        var arguments = Array(command, "arguments", path).Select(a => a.GetString() ?? "").ToArray();
        var value = OptionalString(command, "value", path);
        if (shell && string.IsNullOrEmpty(value))
        {
            throw new BadRequestException($"{path}.value is required for a shell command");
        }

        return new CommandSpec(value, shell, arguments, environment, uris, OptionalString(command, "user", path));
    }

    private static HealthCheckSpecDto HealthCheck(JsonElement check, string path)
    {
        var type = String(check, "type", path);
        var (port, http) = type switch
        {
            "HTTP" or "HTTPS" => (Integer(Required(check, "http", path), "port", $"{path}.http"), Required(check, "http", path)),
            "TCP" => (Integer(Required(check, "tcp", path), "port", $"{path}.tcp"), default(JsonElement?)),
            "COMMAND" => (0L, null),
            _ => throw new BadRequestException($"{path}.type must be HTTP, TCP or COMMAND (is {type})"),
        };
        var scheme = http is { } h ? OptionalString(h, "scheme", $"{path}.http") ?? "http" : null;
        return new HealthCheckSpecDto(
            type == "COMMAND" ? "COMMAND" : type == "TCP" ? "TCP" : scheme?.Equals("https", StringComparison.OrdinalIgnoreCase) == true || type == "HTTPS" ? "HTTPS" : "HTTP",
            Port: type == "COMMAND" ? null : (int)port,
            Path: http is { } p ? OptionalString(p, "path", $"{path}.http") ?? "/" : null,
            Command: type == "COMMAND" ? OptionalString(Required(check, "command", path), "value", $"{path}.command") : null,
            GracePeriodSeconds: OptionalNumber(check, "grace_period_seconds", path),
            IntervalSeconds: OptionalNumber(check, "interval_seconds", path),
            TimeoutSeconds: OptionalNumber(check, "timeout_seconds", path),
            MaxConsecutiveFailures: OptionalNumber(check, "consecutive_failures", path) is { } n ? (int)n : null,
            DelaySeconds: OptionalNumber(check, "delay_seconds", path));
    }

    private static long Integer(JsonElement element, string name, string path) =>
        Required(element, name, path) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : throw new BadRequestException($"{path}.{name} must be an integer");

    // ------------------------------------------------------------------ writing

    /// <summary><c>{"value": id}</c>.</summary>
    public static JsonObject IdOf(string id) => new() { ["value"] = id };

    /// <summary>An offer (Mesos' v1 <c>Offer</c>: the agent's <c>url</c>, its <c>domain</c> when it has a fault domain).</summary>
    public static JsonObject OfferOf(OfferInfo offer)
    {
        var json = new JsonObject
        {
            ["id"] = IdOf(offer.OfferId),
            ["framework_id"] = IdOf(offer.FrameworkId),
            ["agent_id"] = IdOf(offer.AgentId),
            ["hostname"] = offer.Hostname,
            ["url"] = new JsonObject
            {
                ["scheme"] = "http",
                ["address"] = new JsonObject { ["hostname"] = offer.Hostname, ["ip"] = offer.Address ?? offer.Hostname, ["port"] = offer.Port },
                ["path"] = "/slave(1)",
            },
            ["resources"] = MesosResourceJson.ToJson(offer.Resources, offer.Role),
            ["attributes"] = MesosResourceJson.AttributesToJson(offer.Attributes),
            ["executor_ids"] = new JsonArray(),
            ["allocation_info"] = new JsonObject { ["role"] = offer.Role },
        };
        if (offer.Region is { } region)
        {
            json["domain"] = new JsonObject
            {
                ["fault_domain"] = new JsonObject { ["region"] = new JsonObject { ["name"] = region }, ["zone"] = new JsonObject { ["name"] = offer.Zone ?? "" } },
            };
        }

        return json;
    }

    /// <summary>A task status.</summary>
    public static JsonObject StatusOf(TaskStatusEvent update)
    {
        var status = update.Status;
        var json = new JsonObject
        {
            ["task_id"] = IdOf(status.TaskId),
            ["state"] = status.State.ToString(),
            ["source"] = update.Source,
            ["timestamp"] = status.Timestamp,
        };
        if (update.AgentId.Length > 0)
        {
            json["agent_id"] = IdOf(update.AgentId);
        }

        if (status.Uuid != Guid.Empty)
        {
            json["uuid"] = Convert.ToBase64String(status.Uuid.ToByteArray());
        }

        if (status.Reason is not null)
        {
            json["reason"] = status.Reason;
        }

        if (status.Message is not null)
        {
            json["message"] = status.Message;
        }

        if (status.Healthy is { } healthy)
        {
            json["healthy"] = healthy;
        }

        if (status.ContainerId is { Length: > 0 } container)
        {
            json["container_status"] = new JsonObject { ["container_id"] = IdOf(container) };
        }

        if (status.State == TaskState.TASK_UNREACHABLE)
        {
            json["unreachable_time"] = new JsonObject { ["nanoseconds"] = (long)(status.Timestamp * 1e9) };
        }

        return json;
    }

    /// <summary>A scheduler event.</summary>
    public static JsonObject EventOf(FrameworkEvent @event) => @event.Type switch
    {
        FrameworkEventTypes.Offers => new JsonObject
        {
            ["type"] = "OFFERS",
            ["offers"] = new JsonObject { ["offers"] = new JsonArray(@event.Offers!.Select(o => (JsonNode)OfferOf(o)).ToArray()) },
        },
        FrameworkEventTypes.Rescind => new JsonObject { ["type"] = "RESCIND", ["rescind"] = new JsonObject { ["offer_id"] = IdOf(@event.OfferId!) } },
        FrameworkEventTypes.Update => new JsonObject { ["type"] = "UPDATE", ["update"] = new JsonObject { ["status"] = StatusOf(@event.Status!) } },
        FrameworkEventTypes.Failure => new JsonObject { ["type"] = "FAILURE", ["failure"] = new JsonObject { ["agent_id"] = IdOf(@event.AgentId!) } },
        _ => new JsonObject { ["type"] = "ERROR", ["error"] = new JsonObject { ["message"] = @event.Message ?? "" } },
    };
}

using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Master;
using OrleansDcos.Scheduling.Resources;
using static OrleansDcos.Mesos.MesosJsonReader;

namespace OrleansDcos.Mesos;

/// <summary>
/// Mesos' <c>TaskInfo</c> and the ACCEPT operations that carry it (<c>LAUNCH</c>, <c>LAUNCH_GROUP</c>): written by the
/// client SDK, read by the scheduler API into the <see cref="TaskSpec"/> the master launches (framework and role are
/// filled in by the framework grain). What the agents here cannot run (a container network other than HOST, an
/// unknown container or health-check type) is refused when read.
/// </summary>
public static class MesosTaskInfoJson
{
    /// <summary>Reads a <c>TaskInfo</c>.</summary>
    /// <exception cref="MesosJsonException">A field is missing, of the wrong kind or not supported; the message names it.</exception>
    public static TaskSpec Read(JsonElement task, string path)
    {
        var taskId = Id(task, "task_id", path);
        if (Optional(task, "executor", path) is { } executor && MesosIds.Problem(Id(executor, "executor_id", $"{path}.executor"), $"{path}.executor.executor_id") is { } badExecutor)
        {
            // The task itself is judged by the master (a bad task_id is its TASK_ERROR); an executor id is judged here.
            throw new MesosJsonException(badExecutor);
        }

        // Durations are kept within what a clock holds (MesosDurations): an extreme value cannot overflow the agent's timers.
        var grace = Optional(task, "kill_policy", path) is { } policy && Optional(policy, "grace_period", $"{path}.kill_policy") is { } period
            ? MesosDurations.FromNanoseconds(OptionalNumber(period, "nanoseconds", $"{path}.kill_policy.grace_period") ?? 0)!.Value.TotalSeconds
            : (double?)null;
        var healthCheck = Optional(task, "health_check", path) is { } check ? ReadHealthCheck(check, $"{path}.health_check") : null;
        var (docker, volumes) = Optional(task, "container", path) is { } container ? ReadContainer(container, $"{path}.container") : (null, []);
        return new TaskSpec(
            taskId,
            OptionalString(task, "name", path) ?? taskId,
            FrameworkId: "",
            Role: Resource.AnyRole,
            MesosResourceJson.FromJson(Array(task, "resources", path), $"{path}.resources"),
            Optional(task, "command", path) is { } command ? ReadCommand(command, $"{path}.command") : null,
            docker,
            healthCheck,
            grace,
            Optional(task, "labels", path) is { } labels ? Pairs(labels, "labels", "key", "value", $"{path}.labels") : null,
            Discovery: Optional(task, "discovery", path) is { } discovery ? ReadDiscovery(discovery, healthCheck is not null, $"{path}.discovery") : null,
            Volumes: volumes.Count > 0 ? volumes : null);
    }

    /// <summary>The most ports a task's <c>DiscoveryInfo</c> may name.</summary>
    public const int MaxDiscoveryPorts = 1000;

    /// <summary>
    /// <c>DiscoveryInfo</c>: the ports DNS publishes (number, name, protocol), as Mesos-DNS reads them for SRV records;
    /// its name, visibility, environment, location, version and labels are accepted and not used.
    /// </summary>
    private static DiscoverySpec ReadDiscovery(JsonElement discovery, bool healthChecked, string path)
    {
        var ports = Optional(discovery, "ports", path) is { } list ? Array(list, "ports", $"{path}.ports") : [];
        if (ports.Count > MaxDiscoveryPorts)
        {
            throw new MesosJsonException($"{path}.ports.ports has {ports.Count} ports; at most {MaxDiscoveryPorts}");
        }

        return new DiscoverySpec(
            [.. ports.Select((port, i) =>
            {
                var at = $"{path}.ports.ports[{i}]";
                var number = Integer(port, "number", at);
                if (number is < 1 or > 65535)
                {
                    throw new MesosJsonException($"{at}.number {number} is not a port (1–65535)");
                }

                var name = OptionalString(port, "name", at);
                if (name is { Length: > 63 })
                {
                    throw new MesosJsonException($"{at}.name is longer than 63 characters");
                }

                var protocol = OptionalString(port, "protocol", at)?.ToLowerInvariant();
                if (protocol is not (null or "tcp" or "udp" or "udp,tcp" or "tcp,udp"))
                {
                    throw new MesosJsonException($"{at}.protocol {protocol} is not tcp, udp or udp,tcp");
                }

                return new DiscoveryPortSpec((int)number, name, protocol);
            })],
            healthChecked);
    }

    /// <summary>Reads one ACCEPT operation: LAUNCH or LAUNCH_GROUP with its tasks, RESERVE or UNRESERVE with its
    /// resources, CREATE or DESTROY with its volumes.</summary>
    /// <exception cref="MesosJsonException">The operation is malformed or of another type.</exception>
    public static OfferOperation ReadOperation(JsonElement operation, string path)
    {
        var type = String(operation, "type", path);
        if (ConversionField(type) is var (field, list))
        {
            var body = Required(operation, field, path);
            return OfferOperation.Conversion(type, MesosResourceJson.FromJson(Array(body, list, $"{path}.{field}"), $"{path}.{field}.{list}"));
        }

        var tasks = type switch
        {
            OfferOperationTypes.Launch => Array(Required(operation, "launch", path), "task_infos", $"{path}.launch"),
            OfferOperationTypes.LaunchGroup => Array(Required(Required(operation, "launch_group", path), "task_group", $"{path}.launch_group"), "tasks", $"{path}.launch_group.task_group"),
            _ => throw new MesosJsonException($"{path}.type {type} is not supported (LAUNCH, LAUNCH_GROUP, RESERVE, UNRESERVE, CREATE and DESTROY are)"),
        };
        return new OfferOperation(type, [.. tasks.Select((t, i) => Read(t, $"{path}.tasks[{i}]"))]);
    }

    /// <summary>The field and list of a conversion in Mesos' JSON (<c>"reserve": {"resources": […]}</c>), or null.</summary>
    private static (string Field, string List)? ConversionField(string type) => type switch
    {
        OfferOperationTypes.Reserve => ("reserve", "resources"),
        OfferOperationTypes.Unreserve => ("unreserve", "resources"),
        OfferOperationTypes.Create => ("create", "volumes"),
        OfferOperationTypes.Destroy => ("destroy", "volumes"),
        _ => null,
    };

    /// <summary>Writes one ACCEPT operation.</summary>
    public static JsonObject WriteOperation(OfferOperation operation)
    {
        if (ConversionField(operation.Type) is var (field, list))
        {
            return new JsonObject { ["type"] = operation.Type, [field] = new JsonObject { [list] = MesosResourceJson.ToJson(operation.Resources ?? Resources.Empty) } };
        }

        var tasks = new JsonArray([.. operation.Tasks.Select(t => (JsonNode)Write(t))]);
        return operation.Type == OfferOperationTypes.LaunchGroup
            ? new JsonObject { ["type"] = OfferOperationTypes.LaunchGroup, ["launch_group"] = new JsonObject { ["task_group"] = new JsonObject { ["tasks"] = tasks } } }
            : new JsonObject { ["type"] = OfferOperationTypes.Launch, ["launch"] = new JsonObject { ["task_infos"] = tasks } };
    }

    /// <summary>Writes a <c>TaskInfo</c>.</summary>
    public static JsonObject Write(TaskSpec task)
    {
        var info = new JsonObject
        {
            ["name"] = task.Name,
            ["task_id"] = MesosIdJson.Of(task.TaskId),
            ["resources"] = MesosResourceJson.ToJson(task.Resources),
        };
        if (task.Command is { } command)
        {
            info["command"] = WriteCommand(command);
        }

        var sandboxVolumes = (task.Volumes ?? []).Select(v => (JsonNode)(v.Type == SandboxVolumeSpec.Host
            ? new JsonObject { ["host_path"] = v.Path, ["container_path"] = v.ContainerPath, ["mode"] = v.Mode }
            : new JsonObject
            {
                ["container_path"] = v.ContainerPath,
                ["mode"] = v.Mode,
                ["source"] = new JsonObject { ["type"] = "SANDBOX_PATH", ["sandbox_path"] = new JsonObject { ["type"] = v.Type, ["path"] = v.Path } },
            }));
        if (task.Docker is { } docker)
        {
            info["container"] = new JsonObject
            {
                ["type"] = "DOCKER",
                ["docker"] = new JsonObject { ["image"] = docker.Image, ["network"] = "HOST", ["force_pull_image"] = docker.ForcePullImage },
                ["volumes"] = new JsonArray([.. (docker.Volumes ?? []).Select(v => (JsonNode)new JsonObject { ["host_path"] = v.HostPath, ["container_path"] = v.ContainerPath, ["mode"] = v.Mode }), .. sandboxVolumes]),
            };
        }
        else if (task.Volumes is { Count: > 0 })
        {
            info["container"] = new JsonObject { ["type"] = "MESOS", ["volumes"] = new JsonArray([.. sandboxVolumes]) };
        }

        if (task.HealthCheck is { } check)
        {
            info["health_check"] = WriteHealthCheck(check);
        }

        if (task.KillGracePeriodSeconds is { } grace)
        {
            info["kill_policy"] = new JsonObject { ["grace_period"] = new JsonObject { ["nanoseconds"] = (long)(grace * 1e9) } };
        }

        if (task.Labels is { Count: > 0 } labels)
        {
            info["labels"] = new JsonObject { ["labels"] = new JsonArray([.. labels.Select(kv => (JsonNode)new JsonObject { ["key"] = kv.Key, ["value"] = kv.Value })]) };
        }

        if (task.Discovery is { } discovery)
        {
            info["discovery"] = WriteDiscovery(discovery, task.Name);
        }

        return info;
    }

    /// <summary>Writes a <c>DiscoveryInfo</c> (visibility FRAMEWORK, the task's name, its ports).</summary>
    public static JsonObject WriteDiscovery(DiscoverySpec discovery, string name) => new()
    {
        ["visibility"] = "FRAMEWORK",
        ["name"] = name,
        ["ports"] = new JsonObject
        {
            ["ports"] = new JsonArray([.. discovery.Ports.Select(p =>
            {
                var port = new JsonObject { ["number"] = p.Number };
                if (p.Name is not null)
                {
                    port["name"] = p.Name;
                }

                if (p.Protocol is not null)
                {
                    port["protocol"] = p.Protocol;
                }

                return (JsonNode)port;
            })]),
        },
    };

    private static CommandSpec ReadCommand(JsonElement command, string path)
    {
        var uris = Array(command, "uris", path).Select((u, i) => new UriSpec(
            String(u, "value", $"{path}.uris[{i}]"),
            OptionalBool(u, "extract", $"{path}.uris[{i}]") ?? true,
            OptionalBool(u, "executable", $"{path}.uris[{i}]") ?? false,
            OptionalBool(u, "cache", $"{path}.uris[{i}]") ?? false,
            OptionalString(u, "output_file", $"{path}.uris[{i}]"))).ToArray();
        var shell = OptionalBool(command, "shell", path) ?? true;
        var value = OptionalString(command, "value", path);
        if (shell && string.IsNullOrEmpty(value))
        {
            throw new MesosJsonException($"{path}.value is required for a shell command");
        }

        return new CommandSpec(
            value,
            shell,
            Strings(command, "arguments", path),
            Optional(command, "environment", path) is { } environment ? Pairs(environment, "variables", "name", "value", $"{path}.environment") : null,
            uris,
            OptionalString(command, "user", path));
    }

    private static JsonObject WriteCommand(CommandSpec command)
    {
        var json = new JsonObject { ["shell"] = command.Shell };
        if (command.Value is not null)
        {
            json["value"] = command.Value;
        }

        if (command.Arguments is { Count: > 0 } args)
        {
            json["arguments"] = new JsonArray([.. args.Select(a => (JsonNode)JsonValue.Create(a))]);
        }

        if (command.Environment is { Count: > 0 } env)
        {
            json["environment"] = new JsonObject { ["variables"] = new JsonArray([.. env.Select(kv => (JsonNode)new JsonObject { ["name"] = kv.Key, ["value"] = kv.Value })]) };
        }

        if (command.Uris is { Count: > 0 } uris)
        {
            json["uris"] = new JsonArray([.. uris.Select(u => (JsonNode)WithoutNulls(new JsonObject
            {
                ["value"] = u.Value,
                ["extract"] = u.Extract,
                ["executable"] = u.Executable,
                ["cache"] = u.Cache,
                ["output_file"] = u.OutputFile,
            }))]);
        }

        if (command.User is not null)
        {
            json["user"] = command.User;
        }

        return json;
    }

    /// <summary>The most volumes one container may have.</summary>
    public const int MaxVolumes = 64;

    /// <summary>
    /// A <c>ContainerInfo</c>: a DOCKER container's image and host volumes, and the sandbox-path volumes (<c>SANDBOX_PATH</c>
    /// of type PARENT or SELF) of either kind; a MESOS container's host volumes are linked into its sandbox, so their
    /// container path must be relative.
    /// </summary>
    private static (DockerSpec? Docker, List<SandboxVolumeSpec> Volumes) ReadContainer(JsonElement container, string path)
    {
        var type = OptionalString(container, "type", path) ?? "MESOS";
        if (type is not ("DOCKER" or "MESOS"))
        {
            throw new MesosJsonException($"{path}.type must be DOCKER or MESOS (is {type})");
        }

        var hostVolumes = new List<VolumeSpec>();
        var volumes = new List<SandboxVolumeSpec>();
        var list = Array(container, "volumes", path);
        if (list.Count > MaxVolumes)
        {
            throw new MesosJsonException($"{path}.volumes has {list.Count} volumes; at most {MaxVolumes}");
        }

        for (var i = 0; i < list.Count; i++)
        {
            var at = $"{path}.volumes[{i}]";
            var containerPath = String(list[i], "container_path", at);
            var mode = OptionalString(list[i], "mode", at) ?? "RW";
            if (mode is not ("RW" or "RO") || containerPath.Length is 0 or > 4096 || containerPath.Split('/').Contains(".."))
            {
                throw new MesosJsonException($"{at}: mode must be RW or RO and container_path a path without '..' (are {mode}, '{containerPath}')");
            }

            if (Optional(list[i], "source", at) is { } source)
            {
                var sourceType = String(source, "type", $"{at}.source");
                if (sourceType != "SANDBOX_PATH")
                {
                    throw new MesosJsonException($"{at}.source.type {sourceType} is not supported (SANDBOX_PATH is)");
                }

                var sandboxPath = Required(source, "sandbox_path", $"{at}.source");
                var kind = OptionalString(sandboxPath, "type", $"{at}.source.sandbox_path") ?? SandboxVolumeSpec.Self;
                var relative = String(sandboxPath, "path", $"{at}.source.sandbox_path");
                if (kind is not (SandboxVolumeSpec.Parent or SandboxVolumeSpec.Self) || relative.Length is 0 or > 1024 || relative.StartsWith('/') || relative.Split('/').Contains(".."))
                {
                    throw new MesosJsonException($"{at}.source.sandbox_path: type must be PARENT or SELF and path relative, without '..' (are {kind}, '{relative}')");
                }

                volumes.Add(new SandboxVolumeSpec(kind, relative, containerPath, mode));
                continue;
            }

            var hostPath = String(list[i], "host_path", at);
            if (type == "DOCKER")
            {
                hostVolumes.Add(new VolumeSpec(hostPath, containerPath, mode));
            }
            else if (containerPath.StartsWith('/') || !hostPath.StartsWith('/'))
            {
                throw new MesosJsonException($"{at}: a MESOS container sees a host path through a link in its sandbox: host_path must be absolute and container_path relative (are '{hostPath}', '{containerPath}')");
            }
            else
            {
                volumes.Add(new SandboxVolumeSpec(SandboxVolumeSpec.Host, hostPath, containerPath, mode));
            }
        }

        if (type == "MESOS")
        {
            return (null, volumes);
        }

        var docker = Required(container, "docker", path);
        var network = OptionalString(docker, "network", $"{path}.docker") ?? "HOST";
        return network == "HOST"
            ? (new DockerSpec(String(docker, "image", $"{path}.docker"), OptionalBool(docker, "force_pull_image", $"{path}.docker") ?? false, hostVolumes), volumes)
            : throw new MesosJsonException($"{path}.docker.network {network} is not supported (HOST is)");
    }

    private static HealthCheckSpecDto ReadHealthCheck(JsonElement check, string path)
    {
        var type = String(check, "type", path);
        var (port, http) = type switch
        {
            "HTTP" or "HTTPS" => (Integer(Required(check, "http", path), "port", $"{path}.http"), Required(check, "http", path)),
            "TCP" => (Integer(Required(check, "tcp", path), "port", $"{path}.tcp"), default(JsonElement?)),
            "COMMAND" => (0L, null),
            _ => throw new MesosJsonException($"{path}.type must be HTTP, TCP or COMMAND (is {type})"),
        };
        var scheme = http is { } h ? OptionalString(h, "scheme", $"{path}.http") ?? "http" : null;
        return new HealthCheckSpecDto(
            type == "COMMAND" ? "COMMAND" : type == "TCP" ? "TCP" : scheme?.Equals("https", StringComparison.OrdinalIgnoreCase) == true || type == "HTTPS" ? "HTTPS" : "HTTP",
            Port: type == "COMMAND" ? null : (int)port,
            Path: http is { } p ? OptionalString(p, "path", $"{path}.http") ?? "/" : null,
            Command: type == "COMMAND" ? OptionalString(Required(check, "command", path), "value", $"{path}.command") : null,
            GracePeriodSeconds: Seconds(check, "grace_period_seconds", path, positive: false),
            IntervalSeconds: Seconds(check, "interval_seconds", path, positive: true),
            TimeoutSeconds: Seconds(check, "timeout_seconds", path, positive: true),
            MaxConsecutiveFailures: OptionalNumber(check, "consecutive_failures", path) is { } n ? (int)Math.Clamp(n, 0, int.MaxValue) : null,
            DelaySeconds: Seconds(check, "delay_seconds", path, positive: false));
    }

    /// <summary>
    /// An optional duration in seconds: not negative (and above zero when <paramref name="positive"/>: a check's interval
    /// and timeout), and kept within what a clock holds.
    /// </summary>
    private static double? Seconds(JsonElement element, string name, string path, bool positive)
    {
        var seconds = OptionalNumber(element, name, path);
        return seconds switch
        {
            null => null,
            < 0 or double.NaN => throw new MesosJsonException($"{path}.{name} must not be negative (is {seconds})"),
            0 when positive => throw new MesosJsonException($"{path}.{name} must be greater than 0"),
            _ => MesosDurations.FromSeconds(seconds)!.Value.TotalSeconds,
        };
    }

    private static JsonObject WriteHealthCheck(HealthCheckSpecDto check)
    {
        var json = WithoutNulls(new JsonObject
        {
            ["type"] = check.Protocol is "HTTPS" ? "HTTP" : check.Protocol,
            ["grace_period_seconds"] = check.GracePeriodSeconds,
            ["interval_seconds"] = check.IntervalSeconds,
            ["timeout_seconds"] = check.TimeoutSeconds,
            ["consecutive_failures"] = check.MaxConsecutiveFailures,
            ["delay_seconds"] = check.DelaySeconds,
        });
        switch (check.Protocol)
        {
            case "HTTP" or "HTTPS":
                json["http"] = new JsonObject { ["port"] = check.Port ?? 0, ["path"] = check.Path ?? "/", ["scheme"] = check.Protocol == "HTTPS" ? "https" : "http" };
                break;
            case "TCP":
                json["tcp"] = new JsonObject { ["port"] = check.Port ?? 0 };
                break;
            default:
                json["command"] = new JsonObject { ["value"] = check.Command };
                break;
        }

        return json;
    }

    /// <summary><paramref name="json"/> without its null members: Mesos leaves out a field that is not set.</summary>
    private static JsonObject WithoutNulls(JsonObject json)
    {
        foreach (var name in json.Where(p => p.Value is null).Select(p => p.Key).ToArray())
        {
            json.Remove(name);
        }

        return json;
    }

    /// <summary>Mesos' key/value lists (labels, environment variables): a later duplicate wins, as in a map.</summary>
    private static Dictionary<string, string> Pairs(JsonElement holder, string name, string key, string value, string path)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (pair, i) in Array(holder, name, path).Select((p, i) => (p, i)))
        {
            pairs[String(pair, key, $"{path}.{name}[{i}]")] = OptionalString(pair, value, $"{path}.{name}[{i}]") ?? "";
        }

        return pairs;
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrleansDcos.Grains.Interfaces.Api;
using OrleansDcos.Scheduling.Constraints;

namespace OrleansDcos.Grains.Marathon.Validation;

/// <summary>
/// Reads a Marathon app definition from JSON into an <see cref="AppDefinition"/> with Marathon's defaults, collecting
/// an error for every bad field (its JSON path and what is wrong) instead of stopping at the first. Fields this
/// project does not support (bridge/user networking, external volumes, secrets, IP-per-task, executors …) are
/// errors that say so; fields only ever written by Marathon (version info, task counts) are ignored, so a GET
/// answer can be sent back as is. Pure: no I/O.
/// </summary>
public sealed partial class AppReader
{
    /// <summary>Fields only Marathon writes; ignored on input.</summary>
    private static readonly HashSet<string> OutputOnly = new(StringComparer.Ordinal)
    {
        "version", "versionInfo", "tasksStaged", "tasksRunning", "tasksHealthy", "tasksUnhealthy", "deployments", "tasks",
        "lastTaskFailure", "readinessCheckResults", "taskStats", "counts", "storeUrls",
    };

    /// <summary>Fields known but not supported here, with the reason.</summary>
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["ipAddress"] = "IP-per-task networking is not supported: tasks use the agent's network (HOST)",
        ["tty"] = "tty is not supported",
    };

    private readonly List<ApiErrorDetail> _errors = [];
    private readonly IReadOnlyCollection<string> _roles;
    private readonly AppLimits _limits;

    /// <summary>A reader for a Marathon whose framework has <paramref name="frameworkRoles"/>, refusing what is beyond <paramref name="limits"/>.</summary>
    public AppReader(IReadOnlyCollection<string>? frameworkRoles = null, AppLimits? limits = null)
    {
        _roles = frameworkRoles ?? ["*"];
        _limits = limits ?? AppLimits.Default;
    }

    /// <summary>The errors found so far.</summary>
    public IReadOnlyList<ApiErrorDetail> Errors => _errors;

    /// <summary>Reads one app; throws <see cref="MarathonValidationException"/> naming every bad field.</summary>
    public static AppDefinition ReadOne(JsonNode? node, string? parentGroup = null, IReadOnlyCollection<string>? frameworkRoles = null, AppLimits? limits = null)
    {
        var reader = new AppReader(frameworkRoles, limits);
        var app = reader.Read(node, string.Empty, parentGroup ?? "/");
        return reader._errors.Count == 0 && app is not null ? app : throw new MarathonValidationException(reader._errors);
    }

    /// <summary>Reads an array of apps (bulk create or update); throws naming every bad field of every app.</summary>
    public static IReadOnlyList<AppDefinition> ReadMany(JsonNode? node, IReadOnlyCollection<string>? frameworkRoles = null, AppLimits? limits = null)
    {
        var reader = new AppReader(frameworkRoles, limits);
        if (node is not JsonArray array)
        {
            throw MarathonValidationException.Of("/", "expected an array of apps");
        }

        var apps = new List<AppDefinition>();
        for (var i = 0; i < array.Count; i++)
        {
            if (reader.Read(array[i], $"/{i}", "/") is { } app)
            {
                apps.Add(app);
            }
        }

        var duplicate = apps.GroupBy(a => a.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            reader.Error("/", $"app '{duplicate.Key}' is given more than once");
        }

        return reader._errors.Count == 0 ? apps : throw new MarathonValidationException(reader._errors);
    }

    /// <summary>Reads an app at <paramref name="path"/> (error paths are prefixed with it); null when it is not even an object.</summary>
    public AppDefinition? Read(JsonNode? node, string path, string parentGroup)
    {
        if (node is not JsonObject json)
        {
            Error(path + "/", "expected a JSON object");
            return null;
        }

        var before = _errors.Count;
        foreach (var (name, _) in json)
        {
            if (Unsupported.TryGetValue(name, out var reason))
            {
                Error($"{path}/{name}", reason);
            }
            else if (!KnownFields.Contains(name) && !OutputOnly.Contains(name))
            {
                Error($"{path}/{name}", "unknown field");
            }
        }

        var id = ReadId(json["id"], $"{path}/id", parentGroup);
        var cmd = OptionalString(json, "cmd", path);
        var args = OptionalStrings(json, "args", path);
        var container = ReadContainer(json["container"], $"{path}/container");
        if (cmd is not null && args is not null)
        {
            Error($"{path}/cmd", "give either cmd or args, not both");
        }

        if (cmd is null && args is null && container?.Docker is null)
        {
            Error($"{path}/cmd", "an app needs cmd, args or a Docker image");
        }

        if (cmd is { Length: 0 })
        {
            Error($"{path}/cmd", "must not be empty");
        }

        var executor = OptionalString(json, "executor", path) ?? "";
        if (executor.Length > 0 && executor != "//cmd")
        {
            Error($"{path}/executor", "custom executors are not supported (leave it empty)");
        }

        var instances = Integer(json, "instances", path, 1, min: 0, (_limits.MaxInstancesPerApp, "Marathon:MaxInstancesPerApp"));
        var cpus = Number(json, "cpus", path, 1, min: 0, (_limits.MaxCpus, "Marathon:MaxInstanceCpus"));
        var mem = Number(json, "mem", path, 128, min: 0, (_limits.MaxMem, "Marathon:MaxInstanceMem"));
        var disk = Number(json, "disk", path, 0, min: 0, (_limits.MaxDisk, "Marathon:MaxInstanceDisk"));
        var gpus = Integer(json, "gpus", path, 0, min: 0, (_limits.MaxGpus, "Marathon:MaxInstanceGpus"));
        if (cpus == 0 && mem == 0)
        {
            Error($"{path}/cpus", "an app must ask for some cpus or mem");
        }

        var ports = ReadPorts(json, path);
        var requirePorts = Boolean(json, "requirePorts", path, false);
        if (requirePorts && ports.Any(p => p.Port == 0))
        {
            Error($"{path}/requirePorts", "requirePorts needs every port of portDefinitions to be given (non-zero)");
        }

        var healthChecks = ReadHealthChecks(json["healthChecks"], $"{path}/healthChecks", ports.Count);
        var readiness = ReadReadinessChecks(json["readinessChecks"], $"{path}/readinessChecks", ports);
        var resident = container?.Volumes.Any(v => v.Persistent is not null) == true;
        var upgrade = resident && json["upgradeStrategy"] is null ? Residency.UpgradeStrategy : ReadUpgradeStrategy(json["upgradeStrategy"], $"{path}/upgradeStrategy");
        if (resident)
        {
            CheckResident(json, upgrade, path);
        }
        else if (json["residency"] is not null)
        {
            Error($"{path}/residency", "residency needs a persistent volume in container.volumes");
        }

        var backoffSeconds = Number(json, "backoffSeconds", path, 1, min: 0);
        var backoffFactor = Number(json, "backoffFactor", path, 1.15, min: 1);
        var maxLaunchDelay = Number(json, "maxLaunchDelaySeconds", path, 300, min: 0);
        var killSelection = OptionalString(json, "killSelection", path) ?? KillSelections.YoungestFirst;
        if (killSelection is not (KillSelections.YoungestFirst or KillSelections.OldestFirst))
        {
            Error($"{path}/killSelection", "must be YOUNGEST_FIRST or OLDEST_FIRST");
        }

        var grace = json["taskKillGracePeriodSeconds"] is null ? (double?)null : Number(json, "taskKillGracePeriodSeconds", path, 0, min: 0);
        if (OptionalString(json, "role", path) is { } appRole && appRole != "*")
        {
            Error($"{path}/role", $"per-app roles other than * are not supported (is '{appRole}'): use acceptedResourceRoles");
        }
        var roles = OptionalStrings(json, "acceptedResourceRoles", path);
        foreach (var role in roles ?? [])
        {
            if (!_roles.Contains(role))
            {
                Error($"{path}/acceptedResourceRoles", $"role '{role}' is not a role of this Marathon (roles: {string.Join(", ", _roles)})");
            }
        }

        if (roles is { Count: 0 })
        {
            Error($"{path}/acceptedResourceRoles", "must not be empty (leave it out to accept every role)");
        }

        var app = new AppDefinition
        {
            Id = id ?? "/",
            Cmd = cmd,
            Args = args,
            User = OptionalString(json, "user", path),
            Env = ReadAppEnv(json, path, out var secrets),
            Secrets = secrets,
            Instances = instances,
            Cpus = cpus,
            Mem = mem,
            Disk = disk,
            Gpus = gpus,
            Executor = executor,
            Constraints = ReadConstraints(json["constraints"], $"{path}/constraints"),
            Fetch = ReadFetch(json, path),
            BackoffSeconds = backoffSeconds,
            BackoffFactor = backoffFactor,
            MaxLaunchDelaySeconds = maxLaunchDelay,
            Container = container,
            HealthChecks = healthChecks,
            ReadinessChecks = readiness,
            Dependencies = ReadDependencies(json["dependencies"], $"{path}/dependencies", id ?? "/"),
            UpgradeStrategy = upgrade,
            Labels = ReadStringMap(json["labels"], $"{path}/labels"),
            AcceptedResourceRoles = roles,
            PortDefinitions = ports,
            RequirePorts = requirePorts,
            KillSelection = killSelection,
            UnreachableStrategy = resident && json["unreachableStrategy"] is null ? Residency.UnreachableStrategy : ReadUnreachable(json["unreachableStrategy"], $"{path}/unreachableStrategy"),
            TaskKillGracePeriodSeconds = grace,
        };
        return _errors.Count == before ? app : null;
    }

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "id", "cmd", "args", "user", "env", "instances", "cpus", "mem", "disk", "gpus", "executor", "constraints", "fetch", "uris",
        "backoffSeconds", "backoffFactor", "maxLaunchDelaySeconds", "container", "healthChecks", "readinessChecks", "dependencies",
        "upgradeStrategy", "labels", "acceptedResourceRoles", "portDefinitions", "ports", "requirePorts", "killSelection",
        "unreachableStrategy", "taskKillGracePeriodSeconds", "networks", "role", "residency", "secrets",
    };

    // ------------------------------------------------------------------ ids and paths

    /// <summary>One path segment: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.</summary>
    [GeneratedRegex("^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])$")]
    private static partial Regex SegmentPattern();

    /// <summary>
    /// Makes <paramref name="id"/> absolute (relative to <paramref name="parent"/>, resolving <c>.</c> and <c>..</c>);
    /// null with the reason when it is not a valid path.
    /// </summary>
    public static string? Canonical(string id, string parent, out string? error)
    {
        error = null;
        var segments = new List<string>();
        if (!id.StartsWith('/'))
        {
            segments.AddRange(parent.Split('/', StringSplitOptions.RemoveEmptyEntries));
        }

        foreach (var segment in id.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    error = $"'{id}' leaves the root group";
                    return null;
                }

                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            if (segment.Length > AppLimits.MaxSegmentLength)
            {
                error = $"'{segment[..Math.Min(segment.Length, 64)]}…' is {segment.Length} characters long; a path segment may have at most {AppLimits.MaxSegmentLength} (a DNS label)";
                return null;
            }

            if (!SegmentPattern().IsMatch(segment))
            {
                error = $"'{segment}' is not a valid path segment: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";
                return null;
            }

            segments.Add(segment);
        }

        var canonical = "/" + string.Join('/', segments);
        if (canonical.Length > AppLimits.MaxIdLength)
        {
            error = $"the id is {canonical.Length} characters long; the limit is {AppLimits.MaxIdLength} (its task ids must stay within Mesos' 255)";
            return null;
        }

        return canonical;
    }

    private string? ReadId(JsonNode? node, string path, string parent)
    {
        if (node is null)
        {
            Error(path, "an app needs an id");
            return null;
        }

        if (!TryString(node, out var raw) || raw.Length == 0)
        {
            Error(path, "must be a non-empty string");
            return null;
        }

        var id = Canonical(raw, parent, out var error);
        if (id is null)
        {
            Error(path, error!);
            return null;
        }

        if (id == "/")
        {
            Error(path, "an app cannot be the root group");
            return null;
        }

        return id;
    }

    private IReadOnlyList<string> ReadDependencies(JsonNode? node, string path, string appId)
    {
        var parent = appId.LastIndexOf('/') is var slash and > 0 ? appId[..slash] : "/";
        var result = new List<string>();
        if (node is null)
        {
            return result;
        }

        if (node is not JsonArray array)
        {
            Error(path, "must be an array of app or group ids");
            return result;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (!TryString(array[i], out var raw) || Canonical(raw, parent, out var error) is not { } dependency)
            {
                Error($"{path}/{i}", "must be an app or group id");
                continue;
            }

            if (dependency == appId)
            {
                Error($"{path}/{i}", "an app cannot depend on itself");
                continue;
            }

            result.Add(dependency);
        }

        return result;
    }

    // ------------------------------------------------------------------ container

    /// <summary>
    /// What Marathon asks of a resident app: an upgrade strategy that kills before it launches (minimumHealthCapacity
    /// at most 0.5, maximumOverCapacity 0: a new version takes over the old one's reservation), residency (deprecated)
    /// only as <c>{"taskLostBehavior": "WAIT_FOREVER"}</c>.
    /// </summary>
    private void CheckResident(JsonObject json, UpgradeStrategyDefinition upgrade, string path)
    {
        if (upgrade.MinimumHealthCapacity > 0.5)
        {
            Error($"{path}/upgradeStrategy/minimumHealthCapacity", "must be at most 0.5 for an app with persistent volumes (an old instance is killed before its replacement takes over its volume)");
        }

        if (upgrade.MaximumOverCapacity > 0)
        {
            Error($"{path}/upgradeStrategy/maximumOverCapacity", "must be 0 for an app with persistent volumes (no instance is started beyond the count: it would need a volume of its own)");
        }

        if (json["residency"] is { } residency)
        {
            if (residency is not JsonObject fields)
            {
                Error($"{path}/residency", "expected a JSON object");
                return;
            }

            foreach (var (name, value) in fields)
            {
                if (name == "taskLostBehavior" && TryString(value, out var behavior) && behavior != "WAIT_FOREVER")
                {
                    Error($"{path}/residency/taskLostBehavior", "must be WAIT_FOREVER (the only behavior Marathon has)");
                }
                else if (name is not ("taskLostBehavior" or "relaunchEscalationTimeoutSeconds"))
                {
                    Error($"{path}/residency/{name}", "unknown field");
                }
            }
        }
    }

    /// <summary>A persistent volume: a single-level relative container path, RW, a root disk of a positive size.</summary>
    private VolumeDefinition? ReadPersistentVolume(JsonObject volume, string path, string? containerPath)
    {
        var before = _errors.Count;
        if (volume["persistent"] is not JsonObject persistent)
        {
            Error($"{path}/persistent", "expected a JSON object");
            return null;
        }

        if (string.IsNullOrEmpty(containerPath) || containerPath.Contains('/') || containerPath is "." or ".."
            || new Scheduling.Resources.PersistentVolume("id", containerPath).Problem() is not null)
        {
            Error($"{path}/containerPath", "a persistent volume's containerPath is one relative directory name, without '/' (as \"data\")");
        }

        if (volume["hostPath"] is not null)
        {
            Error($"{path}/hostPath", "a persistent volume has no hostPath");
        }

        if ((OptionalString(volume, "mode", path) ?? "RW") != "RW")
        {
            Error($"{path}/mode", "a persistent volume is mounted RW");
        }

        foreach (var (name, _) in persistent)
        {
            if (name is not ("type" or "size" or "maxSize" or "constraints" or "profileName"))
            {
                Error($"{path}/persistent/{name}", "unknown field");
            }
        }

        var type = OptionalString(persistent, "type", $"{path}/persistent") ?? "root";
        if (type != "root")
        {
            Error($"{path}/persistent/type", $"only root disks exist here (is {type}): agents offer one disk, their work directory's");
        }

        var size = Number(persistent, "size", $"{path}/persistent", 0, min: 0, (_limits.MaxDisk, "Marathon:MaxInstanceDisk"));
        if (!(size > 0))
        {
            Error($"{path}/persistent/size", "must be a positive number of MiB");
        }

        if (persistent["constraints"] is JsonArray { Count: > 0 })
        {
            Error($"{path}/persistent/constraints", "disk constraints are not supported (agents have one disk)");
        }

        return _errors.Count == before
            ? new VolumeDefinition { ContainerPath = containerPath!, Mode = "RW", Persistent = new PersistentVolumeDefinition { Type = type, Size = size } }
            : null;
    }

    private ContainerDefinition? ReadContainer(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject json)
        {
            Error(path, "expected a JSON object");
            return null;
        }

        var type = OptionalString(json, "type", path) ?? "DOCKER";
        if (type is not ("DOCKER" or "MESOS"))
        {
            Error($"{path}/type", "must be DOCKER or MESOS");
        }

        foreach (var (name, _) in json)
        {
            if (name is not ("type" or "docker" or "volumes" or "portMappings"))
            {
                Error($"{path}/{name}", name == "appc" ? "appc images are not supported" : "unknown field");
            }
        }

        DockerDefinition? docker = null;
        if (json["docker"] is JsonObject dockerJson)
        {
            docker = ReadDocker(dockerJson, $"{path}/docker", type);
        }
        else if (json["docker"] is not null)
        {
            Error($"{path}/docker", "expected a JSON object");
        }
        else if (type == "DOCKER")
        {
            Error($"{path}/docker", "a DOCKER container needs docker.image");
        }

        if (json["portMappings"] is JsonArray { Count: > 0 })
        {
            Error($"{path}/portMappings", "port mappings need bridge networking, which is not supported: use portDefinitions (host networking)");
        }

        var volumes = new List<VolumeDefinition>();
        foreach (var (volume, volumePath) in Objects(json["volumes"], $"{path}/volumes"))
        {
            if (volume["persistent"] is not null)
            {
                if (ReadPersistentVolume(volume, volumePath, OptionalString(volume, "containerPath", volumePath)) is { } persistentVolume)
                {
                    volumes.Add(persistentVolume);
                }

                continue;
            }

            if (volume["external"] is not null)
            {
                Error($"{volumePath}/external", "external volumes are not supported");
                continue;
            }

            var containerPath = OptionalString(volume, "containerPath", volumePath);
            var hostPath = OptionalString(volume, "hostPath", volumePath);
            var mode = OptionalString(volume, "mode", volumePath) ?? "RW";
            if (string.IsNullOrEmpty(containerPath))
            {
                Error($"{volumePath}/containerPath", "is required");
            }

            if (string.IsNullOrEmpty(hostPath))
            {
                Error($"{volumePath}/hostPath", "is required");
            }

            if (mode is not ("RW" or "RO"))
            {
                Error($"{volumePath}/mode", "must be RW or RO");
            }

            if (type == "MESOS")
            {
                Error(volumePath, "host volumes need a DOCKER container (tasks without one share the agent's filesystem)");
                continue;
            }

            if (!string.IsNullOrEmpty(containerPath) && !string.IsNullOrEmpty(hostPath))
            {
                volumes.Add(new VolumeDefinition { ContainerPath = containerPath, HostPath = hostPath, Mode = mode });
            }
        }

        return new ContainerDefinition { Type = type, Docker = docker, Volumes = volumes };
    }

    private DockerDefinition? ReadDocker(JsonObject json, string path, string type)
    {
        foreach (var (name, value) in json)
        {
            switch (name)
            {
                case "image" or "forcePullImage" or "privileged" or "network":
                    break;
                case "parameters" when value is JsonArray { Count: 0 } or null:
                    break;
                case "parameters":
                    Error($"{path}/parameters", "docker run parameters are not supported");
                    break;
                case "portMappings" when value is JsonArray { Count: 0 } or null:
                    break;
                case "portMappings":
                    Error($"{path}/portMappings", "port mappings need bridge networking, which is not supported: use portDefinitions (host networking)");
                    break;
                case "pullConfig":
                    Error($"{path}/pullConfig", "registry credentials are not supported");
                    break;
                default:
                    Error($"{path}/{name}", "unknown field");
                    break;
            }
        }

        var image = OptionalString(json, "image", path);
        if (string.IsNullOrWhiteSpace(image))
        {
            Error($"{path}/image", "is required");
        }

        if (type == "MESOS")
        {
            Error($"{path}/image", "MESOS containers with an image are not supported: use a DOCKER container");
        }

        var network = OptionalString(json, "network", path) ?? "HOST";
        if (network != "HOST")
        {
            Error($"{path}/network", $"{network} networking is not supported: only HOST");
        }

        if (Boolean(json, "privileged", path, false))
        {
            Error($"{path}/privileged", "privileged containers are not supported");
        }

        return string.IsNullOrWhiteSpace(image) ? null : new DockerDefinition
        {
            Image = image,
            ForcePullImage = Boolean(json, "forcePullImage", path, false),
            Network = "HOST",
        };
    }

    // ------------------------------------------------------------------ ports

    private IReadOnlyList<PortDefinition> ReadPorts(JsonObject json, string path)
    {
        var result = new List<PortDefinition>();
        if (json["portDefinitions"] is not null && json["ports"] is JsonArray { Count: > 0 })
        {
            Error($"{path}/ports", "give either ports or portDefinitions, not both");
            return result;
        }

        if (json["ports"] is JsonArray legacy)
        {
            for (var i = 0; i < legacy.Count; i++)
            {
                if (!TryInt(legacy[i], out var port) || port is < 0 or > 65535)
                {
                    Error($"{path}/ports/{i}", "must be a port number (0 = assign a service port)");
                    continue;
                }

                result.Add(new PortDefinition { Port = port });
            }
        }
        else if (json["ports"] is not null)
        {
            Error($"{path}/ports", "expected an array of port numbers");
        }

        foreach (var (definition, itemPath) in Objects(json["portDefinitions"], $"{path}/portDefinitions"))
        {
            UnknownFields(definition, itemPath, PortDefinitionFields);

            var port = Integer(definition, "port", itemPath, 0, min: 0);
            if (port > 65535)
            {
                Error($"{itemPath}/port", "must be at most 65535");
            }

            var protocol = OptionalString(definition, "protocol", itemPath) ?? "tcp";
            if (protocol is not ("tcp" or "udp" or "udp,tcp" or "tcp,udp"))
            {
                Error($"{itemPath}/protocol", "must be tcp, udp or udp,tcp");
            }

            var portName = OptionalString(definition, "name", itemPath);
            if (portName is not null && !PortNamePattern().IsMatch(portName))
            {
                Error($"{itemPath}/name", "must be lowercase letters, digits and '-'");
            }

            result.Add(new PortDefinition { Port = port, Protocol = protocol, Name = portName, Labels = ReadStringMap(definition["labels"], $"{itemPath}/labels") });
        }

        foreach (var name in result.Where(p => p.Name is not null).GroupBy(p => p.Name!, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            Error($"{path}/portDefinitions", $"port name '{name.Key}' is used more than once");
        }

        foreach (var port in result.Where(p => p.Port != 0).GroupBy(p => p.Port).Where(g => g.Count() > 1))
        {
            Error($"{path}/portDefinitions", $"port {port.Key} is given more than once");
        }

        if (json["networks"] is JsonArray networks)
        {
            for (var i = 0; i < networks.Count; i++)
            {
                if (networks[i] is not JsonObject network || !TryString(network["mode"], out var mode) || mode != "host")
                {
                    Error($"{path}/networks/{i}", "only host networking is supported ({\"mode\": \"host\"})");
                }
            }
        }

        return result;
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex PortNamePattern();

    // ------------------------------------------------------------------ checks

    private static readonly HashSet<string> HealthProtocols = new(StringComparer.Ordinal)
    {
        "HTTP", "HTTPS", "TCP", "COMMAND", "MESOS_HTTP", "MESOS_HTTPS", "MESOS_TCP",
    };

    private List<HealthCheckDefinition> ReadHealthChecks(JsonNode? node, string path, int portCount)
    {
        var result = new List<HealthCheckDefinition>();
        foreach (var (json, itemPath) in Objects(node, path, atMostOne: "at most one health check per app is supported"))
        {
            UnknownFields(json, itemPath, HealthCheckFields);

            var protocol = OptionalString(json, "protocol", itemPath) ?? "HTTP";
            if (!HealthProtocols.Contains(protocol))
            {
                Error($"{itemPath}/protocol", "must be HTTP, HTTPS, TCP, COMMAND, MESOS_HTTP, MESOS_HTTPS or MESOS_TCP");
            }

            int? portIndex = json["portIndex"] is null ? null : Integer(json, "portIndex", itemPath, 0, min: 0);
            int? port = json["port"] is null ? null : Integer(json, "port", itemPath, 0, min: 1);
            HealthCheckCommand? command = null;
            if (protocol == "COMMAND")
            {
                if (json["command"] is JsonObject commandJson && TryString(commandJson["value"], out var value) && value.Length > 0)
                {
                    command = new HealthCheckCommand(value);
                }
                else
                {
                    Error($"{itemPath}/command", "a COMMAND check needs command.value");
                }
            }
            else
            {
                if (portIndex is not null && port is not null)
                {
                    Error($"{itemPath}/port", "give either port or portIndex, not both");
                }

                if (port is null && (portIndex ?? 0) >= portCount)
                {
                    Error($"{itemPath}/portIndex", portCount == 0
                        ? "the app has no ports: add portDefinitions or give the check a port"
                        : $"must be less than the number of ports ({portCount})");
                }
            }

            result.Add(new HealthCheckDefinition
            {
                Protocol = protocol,
                Path = protocol.EndsWith("HTTP", StringComparison.Ordinal) || protocol.EndsWith("HTTPS", StringComparison.Ordinal)
                    ? OptionalString(json, "path", itemPath) ?? "/"
                    : null,
                PortIndex = protocol == "COMMAND" || port is not null ? null : portIndex ?? 0,
                Port = port,
                Command = command,
                GracePeriodSeconds = Number(json, "gracePeriodSeconds", itemPath, 300, min: 0),
                IntervalSeconds = Number(json, "intervalSeconds", itemPath, 60, min: 0.001),
                TimeoutSeconds = Number(json, "timeoutSeconds", itemPath, 20, min: 0.001),
                MaxConsecutiveFailures = Integer(json, "maxConsecutiveFailures", itemPath, 3, min: 0),
                DelaySeconds = Number(json, "delaySeconds", itemPath, 15, min: 0),
                IgnoreHttp1xx = Boolean(json, "ignoreHttp1xx", itemPath, false),
            });
        }

        return result;
    }

    private List<ReadinessCheckDefinition> ReadReadinessChecks(JsonNode? node, string path, IReadOnlyList<PortDefinition> ports)
    {
        var result = new List<ReadinessCheckDefinition>();
        foreach (var (json, itemPath) in Objects(node, path, atMostOne: "at most one readiness check per app is supported (as in Marathon)"))
        {
            UnknownFields(json, itemPath, ReadinessCheckFields);

            var protocol = OptionalString(json, "protocol", itemPath) ?? "HTTP";
            if (protocol is not ("HTTP" or "HTTPS"))
            {
                Error($"{itemPath}/protocol", "must be HTTP or HTTPS");
            }

            var portName = OptionalString(json, "portName", itemPath) ?? "http-api";
            if (!ports.Any(p => p.Name == portName))
            {
                Error($"{itemPath}/portName", $"no port of portDefinitions is named '{portName}'");
            }

            var codes = new List<int>();
            if (json["httpStatusCodesForReady"] is JsonArray codeArray)
            {
                for (var c = 0; c < codeArray.Count; c++)
                {
                    if (TryInt(codeArray[c], out var code) && code is >= 100 and <= 599)
                    {
                        codes.Add(code);
                    }
                    else
                    {
                        Error($"{itemPath}/httpStatusCodesForReady/{c}", "must be an HTTP status code");
                    }
                }
            }
            else if (json["httpStatusCodesForReady"] is not null)
            {
                Error($"{itemPath}/httpStatusCodesForReady", "expected an array of status codes");
            }

            var interval = Number(json, "intervalSeconds", itemPath, 30, min: 0.001);
            var timeout = Number(json, "timeoutSeconds", itemPath, 10, min: 0.001);
            if (timeout >= interval)
            {
                Error($"{itemPath}/timeoutSeconds", "must be less than intervalSeconds");
            }

            result.Add(new ReadinessCheckDefinition
            {
                Name = OptionalString(json, "name", itemPath) ?? "readinessCheck",
                Protocol = protocol,
                Path = OptionalString(json, "path", itemPath) ?? "/",
                PortName = portName,
                IntervalSeconds = interval,
                TimeoutSeconds = timeout,
                HttpStatusCodesForReady = codes.Count > 0 ? codes : [200],
                PreserveLastResponse = Boolean(json, "preserveLastResponse", itemPath, false),
            });
        }

        return result;
    }

    // ------------------------------------------------------------------ strategies, constraints, maps

    private UpgradeStrategyDefinition ReadUpgradeStrategy(JsonNode? node, string path)
    {
        if (node is null)
        {
            return new UpgradeStrategyDefinition();
        }

        if (node is not JsonObject json)
        {
            Error(path, "expected a JSON object");
            return new UpgradeStrategyDefinition();
        }

        var min = Number(json, "minimumHealthCapacity", path, 1, min: 0);
        var over = Number(json, "maximumOverCapacity", path, 1, min: 0);
        if (min > 1)
        {
            Error($"{path}/minimumHealthCapacity", "must be between 0 and 1");
        }

        if (over > 1)
        {
            Error($"{path}/maximumOverCapacity", "must be between 0 and 1");
        }

        return new UpgradeStrategyDefinition { MinimumHealthCapacity = min, MaximumOverCapacity = over };
    }

    private UnreachableStrategyDefinition? ReadUnreachable(JsonNode? node, string path)
    {
        if (node is null)
        {
            return new UnreachableStrategyDefinition();
        }

        if (TryString(node, out var text))
        {
            if (text != "disabled")
            {
                Error(path, "must be \"disabled\" or an object");
            }

            return null;
        }

        if (node is not JsonObject json)
        {
            Error(path, "must be \"disabled\" or an object");
            return null;
        }

        var inactive = Number(json, "inactiveAfterSeconds", path, UnreachableStrategyDefinition.DefaultInactiveAfterSeconds, min: 0);
        var expunge = Number(json, "expungeAfterSeconds", path, Math.Max(inactive, UnreachableStrategyDefinition.DefaultExpungeAfterSeconds), min: 0);
        if (expunge < inactive)
        {
            Error($"{path}/expungeAfterSeconds", "must be at least inactiveAfterSeconds");
        }

        return new UnreachableStrategyDefinition { InactiveAfterSeconds = inactive, ExpungeAfterSeconds = expunge };
    }

    private List<IReadOnlyList<string>> ReadConstraints(JsonNode? node, string path)
    {
        var result = new List<IReadOnlyList<string>>();
        if (node is null)
        {
            return result;
        }

        if (node is not JsonArray array)
        {
            Error(path, "expected an array of [field, OPERATOR, value?]");
            return result;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = $"{path}/{i}";
            if (array[i] is not JsonArray parts || parts.Count is < 2 or > 3 || parts.Any(p => !TryString(p, out _)))
            {
                Error(itemPath, "expected [field, OPERATOR] or [field, OPERATOR, value] (strings)");
                continue;
            }

            var strings = parts.Select(p => p!.GetValue<string>()).ToList();
            try
            {
                var constraint = Constraint.Create(strings[0], strings[1], strings.Count == 3 ? strings[2] : null);
                result.Add(constraint.ToJsonArray());
            }
            catch (InvalidConstraintException ex)
            {
                Error(itemPath, ex.Message);
            }
        }

        return result;
    }

    private List<FetchUriDefinition> ReadFetch(JsonObject json, string path)
    {
        var result = new List<FetchUriDefinition>();
        if (json["uris"] is JsonArray uris)
        {
            for (var i = 0; i < uris.Count; i++)
            {
                if (TryString(uris[i], out var uri) && uri.Length > 0)
                {
                    result.Add(new FetchUriDefinition { Uri = uri, Extract = IsArchive(uri) });
                }
                else
                {
                    Error($"{path}/uris/{i}", "must be a URI");
                }
            }
        }

        if (json["fetch"] is JsonArray fetch)
        {
            for (var i = 0; i < fetch.Count; i++)
            {
                var itemPath = $"{path}/fetch/{i}";
                if (fetch[i] is not JsonObject item || !TryString(item["uri"], out var uri) || uri.Length == 0)
                {
                    Error($"{itemPath}/uri", "is required");
                    continue;
                }

                result.Add(new FetchUriDefinition
                {
                    Uri = uri,
                    Extract = Boolean(item, "extract", itemPath, true),
                    Executable = Boolean(item, "executable", itemPath, false),
                    Cache = Boolean(item, "cache", itemPath, false),
                    DestPath = OptionalString(item, "destPath", itemPath),
                });
            }
        }
        else if (json["fetch"] is not null)
        {
            Error($"{path}/fetch", "expected an array");
        }

        return result;
    }

    private static bool IsArchive(string uri) =>
        new[] { ".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz", ".zip", ".tar" }.Any(e => uri.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    private Dictionary<string, string> ReadEnv(JsonNode? node, string path) => ReadStringMap(node, path, secretsRefused: true);

    /// <summary>The most secrets an app may name.</summary>
    public const int MaxSecrets = 64;

    /// <summary>
    /// An app's <c>env</c> with its <c>secrets</c>: a variable <c>{"secret": name}</c> must name one of the app's secrets,
    /// each <c>{"source": path}</c> a secret path (<see cref="Scheduling.Security.SecretPaths"/>).
    /// </summary>
    private Dictionary<string, string> ReadAppEnv(JsonObject json, string path, out IReadOnlyDictionary<string, string>? secrets)
    {
        secrets = null;
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json["secrets"] is { } declared)
        {
            if (declared is not JsonObject named || named.Count > MaxSecrets)
            {
                Error($"{path}/secrets", $"expected an object of at most {MaxSecrets} name: {{\"source\": path}}");
            }
            else
            {
                foreach (var (name, value) in named)
                {
                    if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                    {
                        Error($"{path}/secrets/{name}", "a secret's name is 1 to 64 letters, digits, '-', '_' or '.'");
                    }
                    else if (value is JsonObject { Count: 1 } o && TryString(o["source"], out var source))
                    {
                        if (Scheduling.Security.SecretPaths.Normalize(source, out var problem) is null)
                        {
                            Error($"{path}/secrets/{name}/source", problem!);
                        }
                        else
                        {
                            sources[name] = source;
                        }
                    }
                    else
                    {
                        Error($"{path}/secrets/{name}", "expected {\"source\": path}");
                    }
                }
            }
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json["env"] is not { } node)
        {
            secrets = sources.Count > 0 ? sources : null;
            return env;
        }

        if (node is not JsonObject variables)
        {
            Error($"{path}/env", "expected an object of name: value");
            return env;
        }

        foreach (var (name, value) in variables)
        {
            if (TryString(value, out var text))
            {
                if (text.Contains('\0', StringComparison.Ordinal))
                {
                    Error($"{path}/env/{name}", "must not hold a NUL character");
                }

                env[name] = text;
            }
            else if (value is JsonObject { Count: 1 } reference && TryString(reference["secret"], out var secret))
            {
                if (!sources.ContainsKey(secret))
                {
                    Error($"{path}/env/{name}", $"names the secret '{secret}', which is not among the app's secrets");
                }

                env[name] = EnvJsonConverter.SecretReference(secret);
            }
            else
            {
                Error($"{path}/env/{name}", "must be a string or {\"secret\": name}");
            }
        }

        secrets = sources.Count > 0 ? sources : null;
        return env;
    }

    /// <summary>An object of name: string; with <paramref name="secretsRefused"/>, a <c>{"secret": …}</c> value is named as unsupported.</summary>
    private Dictionary<string, string> ReadStringMap(JsonNode? node, string path, bool secretsRefused = false)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is null)
        {
            return result;
        }

        if (node is not JsonObject json)
        {
            Error(path, "expected an object of name: value");
            return result;
        }

        foreach (var (name, value) in json)
        {
            if (TryString(value, out var text))
            {
                result[name] = text;
            }
            else
            {
                Error($"{path}/{name}", secretsRefused && value is JsonObject secret && secret["secret"] is not null ? "secrets are not supported" : "must be a string");
            }
        }

        return result;
    }

    // ------------------------------------------------------------------ arrays of objects

    private static readonly HashSet<string> PortDefinitionFields = new(StringComparer.Ordinal) { "port", "protocol", "name", "labels" };

    private static readonly HashSet<string> HealthCheckFields = new(StringComparer.Ordinal)
    {
        "protocol", "path", "portIndex", "port", "command", "gracePeriodSeconds", "intervalSeconds", "timeoutSeconds",
        "maxConsecutiveFailures", "delaySeconds", "ignoreHttp1xx", "ipProtocol",
    };

    private static readonly HashSet<string> ReadinessCheckFields = new(StringComparer.Ordinal)
    {
        "name", "protocol", "path", "portName", "intervalSeconds", "timeoutSeconds", "httpStatusCodesForReady", "preserveLastResponse",
    };

    /// <summary>
    /// The objects of the array at <paramref name="path"/> with their paths (nothing when the field is absent); a value
    /// that is not an array, or an item that is not an object, is an error. <paramref name="atMostOne"/> is the error for
    /// more than one item, where only one is supported.
    /// </summary>
    private IEnumerable<(JsonObject Item, string Path)> Objects(JsonNode? node, string path, string? atMostOne = null)
    {
        if (node is null)
        {
            yield break;
        }

        if (node is not JsonArray array)
        {
            Error(path, "expected an array");
            yield break;
        }

        if (atMostOne is not null && array.Count > 1)
        {
            Error(path, atMostOne);
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject item)
            {
                yield return (item, $"{path}/{i}");
            }
            else
            {
                Error($"{path}/{i}", "expected a JSON object");
            }
        }
    }

    private void UnknownFields(JsonObject json, string path, HashSet<string> known)
    {
        foreach (var (name, _) in json)
        {
            if (!known.Contains(name))
            {
                Error($"{path}/{name}", "unknown field");
            }
        }
    }

    // ------------------------------------------------------------------ scalars

    private string? OptionalString(JsonObject json, string name, string path)
    {
        var node = json[name];
        if (node is null)
        {
            return null;
        }

        if (TryString(node, out var value))
        {
            return value;
        }

        Error($"{path}/{name}", "must be a string");
        return null;
    }

    private List<string>? OptionalStrings(JsonObject json, string name, string path)
    {
        var node = json[name];
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray array || array.Any(n => !TryString(n, out _)))
        {
            Error($"{path}/{name}", "must be an array of strings");
            return null;
        }

        return array.Select(n => n!.GetValue<string>()).ToList();
    }

    private double Number(JsonObject json, string name, string path, double fallback, double min, (double Value, string Setting)? max = null)
    {
        var node = json[name];
        if (node is null)
        {
            return fallback;
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue<double>(out var number) || !double.IsFinite(number))
        {
            Error($"{path}/{name}", "must be a number");
            return fallback;
        }

        if (number < min)
        {
            Error($"{path}/{name}", string.Create(CultureInfo.InvariantCulture, $"must be at least {min}"));
            return fallback;
        }

        if (max is { } limit && number > limit.Value)
        {
            Error($"{path}/{name}", string.Create(CultureInfo.InvariantCulture, $"must be at most {limit.Value} (the limit {limit.Setting})"));
            return fallback;
        }

        return number;
    }

    private int Integer(JsonObject json, string name, string path, int fallback, int min, (int Value, string Setting)? max = null)
    {
        var node = json[name];
        if (node is null)
        {
            return fallback;
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue<double>(out var number)
            || !double.IsFinite(number) || number != Math.Floor(number))
        {
            Error($"{path}/{name}", "must be an integer");
            return fallback;
        }

        if (number < min)
        {
            Error($"{path}/{name}", string.Create(CultureInfo.InvariantCulture, $"must be at least {min}"));
            return fallback;
        }

        var most = max?.Value ?? int.MaxValue;
        if (number > most)
        {
            Error($"{path}/{name}", max is { } limit
                ? string.Create(CultureInfo.InvariantCulture, $"must be at most {limit.Value} (the limit {limit.Setting})")
                : string.Create(CultureInfo.InvariantCulture, $"must be at most {int.MaxValue}"));
            return fallback;
        }

        return (int)number;
    }

    private bool Boolean(JsonObject json, string name, string path, bool fallback)
    {
        var node = json[name];
        if (node is null)
        {
            return fallback;
        }

        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetValue<bool>();
        }

        Error($"{path}/{name}", "must be true or false");
        return fallback;
    }

    private static bool TryString(JsonNode? node, out string value)
    {
        if (node is JsonValue json && json.GetValueKind() == JsonValueKind.String)
        {
            value = json.GetValue<string>();
            return true;
        }

        value = string.Empty;
        return false;
    }

    private static bool TryInt(JsonNode? node, out int value)
    {
        value = 0;
        if (node is not JsonValue json || json.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        if (json.TryGetValue<int>(out value))
        {
            return true;
        }

        if (json.TryGetValue<double>(out var number) && number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)number;
            return true;
        }

        return false;
    }

    private void Error(string path, string error) => ApiErrorDetails.Add(_errors, path, error);
}

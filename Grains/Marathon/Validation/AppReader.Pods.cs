using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrleansDcos.Scheduling.Constraints;

namespace OrleansDcos.Grains.Marathon.Validation;

/// <summary>
/// Marathon's pod definitions (<c>/v2/pods</c>, pod.raml) read into an <see cref="AppDefinition"/> with a
/// <see cref="PodSpec"/>: containers (exec command or image, resources, endpoints, health check, volume mounts),
/// ephemeral and host volumes, host networking, fixed scaling, scheduling (backoff, upgrade, placement, kill selection,
/// unreachable strategy) and executor resources; every bad field is named by its path.
/// </summary>
public sealed partial class AppReader
{
    /// <summary>Most containers in one pod.</summary>
    public const int MaxPodContainers = 32;

    private static readonly HashSet<string> PodFields = new(StringComparer.Ordinal)
    {
        "id", "labels", "version", "user", "environment", "containers", "volumes", "networks", "scaling", "scheduling",
        "secrets", "executorResources", "fetch", "legacySharedCgroups", "role",
    };

    private static readonly HashSet<string> PodContainerFields = new(StringComparer.Ordinal)
    {
        "name", "exec", "resources", "endpoints", "image", "environment", "user", "healthCheck", "check", "volumeMounts",
        "artifacts", "labels", "lifecycle",
    };

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex ContainerNamePattern();

    /// <summary>Reads a pod; throws <see cref="MarathonValidationException"/> naming every bad field.</summary>
    public static AppDefinition ReadPod(JsonNode? node, IReadOnlyCollection<string>? frameworkRoles = null, AppLimits? limits = null)
    {
        var reader = new AppReader(frameworkRoles, limits);
        var pod = reader.Pod(node);
        return reader._errors.Count == 0 && pod is not null ? pod : throw new MarathonValidationException(reader._errors);
    }

    private AppDefinition? Pod(JsonNode? node)
    {
        if (node is not JsonObject json)
        {
            Error("/", "expected a JSON object");
            return null;
        }

        UnknownFields(json, "", PodFields);
        if (json["secrets"] is JsonObject { Count: > 0 })
        {
            Error("/secrets", "secrets are not supported");
        }

        if (OptionalString(json, "role", "") is { } role && role != "*")
        {
            Error("/role", $"per-pod roles other than * are not supported (is '{role}'): use scheduling.placement.acceptedResourceRoles");
        }

        var id = ReadId(json["id"], "/id", "/");
        var volumes = PodVolumes(json["volumes"]);
        var containers = new List<PodContainerSpec>();
        foreach (var (container, path) in Objects(json["containers"], "/containers"))
        {
            if (PodContainer(container, path, volumes) is { } read)
            {
                containers.Add(read);
            }
        }

        if (containers.Count == 0 && !_errors.Any(e => e.Path.StartsWith("/containers", StringComparison.Ordinal)))
        {
            Error("/containers", "a pod needs at least one container");
        }

        if (containers.Count > MaxPodContainers)
        {
            Error("/containers", $"at most {MaxPodContainers} containers");
        }

        foreach (var duplicate in containers.GroupBy(c => c.Name).Where(g => g.Count() > 1))
        {
            Error("/containers", $"container name '{duplicate.Key}' is used twice");
        }

        var endpoints = containers.SelectMany(c => c.Endpoints ?? []).ToList();
        foreach (var duplicate in endpoints.GroupBy(e => e.Name).Where(g => g.Count() > 1))
        {
            Error("/containers", $"endpoint name '{duplicate.Key}' is used twice");
        }

        if (endpoints.Any(e => e.HostPort != 0) && endpoints.Any(e => e.HostPort == 0))
        {
            Error("/containers", "give every endpoint a fixed hostPort, or none (0: picked from the offer)");
        }

        foreach (var (network, path) in Objects(json["networks"], "/networks"))
        {
            if ((OptionalString(network, "mode", path) ?? "host") != "host")
            {
                Error($"{path}/mode", "only host networking is supported: a pod's containers share the agent's network");
            }
        }

        var instances = 1;
        if (json["scaling"] is JsonObject scaling)
        {
            if ((OptionalString(scaling, "kind", "/scaling") ?? "fixed") != "fixed")
            {
                Error("/scaling/kind", "must be fixed");
            }

            instances = Integer(scaling, "instances", "/scaling", 1, min: 0, (_limits.MaxInstancesPerApp, "Marathon:MaxInstancesPerApp"));
        }

        var scheduling = json["scheduling"] as JsonObject ?? [];
        var backoff = scheduling["backoff"] as JsonObject ?? [];
        var placement = scheduling["placement"] as JsonObject ?? [];
        var executor = json["executorResources"] as JsonObject ?? [];
        var execCpus = Number(executor, "cpus", "/executorResources", 0.1, min: 0);
        var execMem = Number(executor, "mem", "/executorResources", 32, min: 0);
        var execDisk = Number(executor, "disk", "/executorResources", 10, min: 0);
        var roles = OptionalStrings(placement, "acceptedResourceRoles", "/scheduling/placement");
        foreach (var accepted in roles ?? [])
        {
            if (!_roles.Contains(accepted))
            {
                Error("/scheduling/placement/acceptedResourceRoles", $"role '{accepted}' is not a role of this Marathon (roles: {string.Join(", ", _roles)})");
            }
        }

        var killSelection = OptionalString(scheduling, "killSelection", "/scheduling") ?? KillSelections.YoungestFirst;
        if (killSelection is not (KillSelections.YoungestFirst or KillSelections.OldestFirst))
        {
            Error("/scheduling/killSelection", "must be YOUNGEST_FIRST or OLDEST_FIRST");
        }

        var spec = new PodSpec(containers, volumes.Values.ToList(), execCpus, execMem, execDisk);
        var resident = spec.Volumes.Any(v => v.PersistentSize is not null);
        var upgrade = resident && scheduling["upgrade"] is null ? Residency.UpgradeStrategy : ReadUpgradeStrategy(scheduling["upgrade"], "/scheduling/upgrade");
        if (resident && (upgrade.MinimumHealthCapacity > 0.5 || upgrade.MaximumOverCapacity > 0))
        {
            Error("/scheduling/upgrade", "a pod with persistent volumes needs minimumHealthCapacity at most 0.5 and maximumOverCapacity 0 (an old instance is killed before its replacement takes over its volume)");
        }
        var app = new AppDefinition
        {
            Id = id ?? "/",
            User = OptionalString(json, "user", ""),
            Env = ReadEnv(json["environment"], "/environment"),
            Instances = instances,
            Cpus = containers.Sum(c => c.Cpus) + execCpus,
            Mem = containers.Sum(c => c.Mem) + execMem,
            Disk = containers.Sum(c => c.Disk) + execDisk,
            Gpus = containers.Sum(c => c.Gpus),
            Constraints = PodConstraints(placement["constraints"], "/scheduling/placement/constraints"),
            BackoffSeconds = Number(backoff, "backoff", "/scheduling/backoff", 1, min: 0),
            BackoffFactor = Number(backoff, "backoffFactor", "/scheduling/backoff", 1.15, min: 1),
            MaxLaunchDelaySeconds = Number(backoff, "maxLaunchDelay", "/scheduling/backoff", 300, min: 0),
            UpgradeStrategy = upgrade,
            Labels = ReadStringMap(json["labels"], "/labels"),
            AcceptedResourceRoles = roles,
            PortDefinitions = [.. endpoints.Select(e => new PortDefinition { Port = e.HostPort, Name = e.Name, Protocol = string.Join(',', e.Protocol ?? ["tcp"]) })],
            RequirePorts = endpoints.Count > 0 && endpoints.All(e => e.HostPort != 0),
            KillSelection = killSelection,
            UnreachableStrategy = resident && scheduling["unreachableStrategy"] is null ? Residency.UnreachableStrategy : ReadUnreachable(scheduling["unreachableStrategy"], "/scheduling/unreachableStrategy"),
            TaskKillGracePeriodSeconds = containers.Select(c => c.KillGracePeriodSeconds).FirstOrDefault(g => g is not null),
            Pod = spec,
        };
        if (app.Cpus > _limits.MaxCpus || app.Mem > _limits.MaxMem)
        {
            Error("/containers", $"the pod asks for {app.Cpus} cpus and {app.Mem} MiB together; an instance may have at most {_limits.MaxCpus} and {_limits.MaxMem}");
        }

        return app;
    }

    private Dictionary<string, PodVolumeSpec> PodVolumes(JsonNode? node)
    {
        var volumes = new Dictionary<string, PodVolumeSpec>(StringComparer.Ordinal);
        foreach (var (volume, path) in Objects(node, "/volumes"))
        {
            UnknownFields(volume, path, ["name", "host", "persistent", "secret"]);
            var name = OptionalString(volume, "name", path);
            if (name is null || !ContainerNamePattern().IsMatch(name))
            {
                Error($"{path}/name", "a volume needs a name of lowercase letters, digits and '-'");
                continue;
            }

            if (volume["secret"] is not null)
            {
                Error($"{path}/secret", "secret volumes are not supported");
                continue;
            }

            if (volume["persistent"] is { } persistent)
            {
                if (persistent is not JsonObject fields)
                {
                    Error($"{path}/persistent", "expected a JSON object");
                    continue;
                }

                UnknownFields(fields, $"{path}/persistent", ["type", "size", "maxSize", "constraints", "profileName"]);
                if ((OptionalString(fields, "type", $"{path}/persistent") ?? "root") != "root")
                {
                    Error($"{path}/persistent/type", "only root disks exist here");
                }

                var size = Number(fields, "size", $"{path}/persistent", 0, min: 0, (_limits.MaxDisk, "Marathon:MaxInstanceDisk"));
                if (!(size > 0))
                {
                    Error($"{path}/persistent/size", "must be a positive number of MiB");
                    continue;
                }

                if (!volumes.TryAdd(name, new PodVolumeSpec(name, PersistentSize: size)))
                {
                    Error($"{path}/name", $"volume '{name}' is given twice");
                }

                continue;
            }

            var host = OptionalString(volume, "host", path);
            if (host is not null && (!host.StartsWith('/') || host.Split('/').Contains("..")))
            {
                Error($"{path}/host", "must be an absolute path without '..'");
                continue;
            }

            if (!volumes.TryAdd(name, new PodVolumeSpec(name, host)))
            {
                Error($"{path}/name", $"volume '{name}' is given twice");
            }
        }

        return volumes;
    }

    private PodContainerSpec? PodContainer(JsonObject json, string path, IReadOnlyDictionary<string, PodVolumeSpec> volumes)
    {
        var before = _errors.Count;
        UnknownFields(json, path, PodContainerFields);
        if (json["artifacts"] is JsonArray { Count: > 0 })
        {
            Error($"{path}/artifacts", "artifacts are not supported in pods (fetch them in the command)");
        }

        var name = OptionalString(json, "name", path);
        if (name is null || name.Length > 63 || !ContainerNamePattern().IsMatch(name))
        {
            Error($"{path}/name", "a container needs a name of lowercase letters, digits and '-' (at most 63)");
        }

        var resources = json["resources"] as JsonObject ?? [];
        var cpus = Number(resources, "cpus", $"{path}/resources", 1, min: 0, (_limits.MaxCpus, "Marathon:MaxInstanceCpus"));
        var mem = Number(resources, "mem", $"{path}/resources", 128, min: 0, (_limits.MaxMem, "Marathon:MaxInstanceMem"));
        var disk = Number(resources, "disk", $"{path}/resources", 0, min: 0, (_limits.MaxDisk, "Marathon:MaxInstanceDisk"));
        var gpus = Integer(resources, "gpus", $"{path}/resources", 0, min: 0, (_limits.MaxGpus, "Marathon:MaxInstanceGpus"));
        if (cpus == 0 && mem == 0)
        {
            Error($"{path}/resources", "a container must ask for some cpus or mem");
        }

        string? shell = null;
        if (json["exec"] is JsonObject exec)
        {
            var command = exec["command"] as JsonObject;
            shell = command is null ? null : OptionalString(command, "shell", $"{path}/exec/command");
            if (shell is null or { Length: 0 })
            {
                Error($"{path}/exec/command/shell", "exec needs a shell command (argv is not supported)");
            }
        }

        string? image = null;
        var forcePull = false;
        if (json["image"] is JsonObject imageJson)
        {
            if ((OptionalString(imageJson, "kind", $"{path}/image") ?? "DOCKER") != "DOCKER")
            {
                Error($"{path}/image/kind", "only DOCKER images are supported");
            }

            image = OptionalString(imageJson, "id", $"{path}/image");
            forcePull = Boolean(imageJson, "forcePull", $"{path}/image", false);
            if (string.IsNullOrWhiteSpace(image))
            {
                Error($"{path}/image/id", "is required");
            }
        }

        if (shell is null && image is null)
        {
            Error($"{path}/exec", "a container needs exec.command.shell or an image");
        }

        var mounts = new List<PodVolumeMountSpec>();
        foreach (var (mount, mountPath) in Objects(json["volumeMounts"], $"{path}/volumeMounts"))
        {
            var volume = OptionalString(mount, "name", mountPath);
            var at = OptionalString(mount, "mountPath", mountPath);
            if (volume is null || !volumes.ContainsKey(volume))
            {
                Error($"{mountPath}/name", $"'{volume}' is not a volume of the pod");
            }

            if (string.IsNullOrEmpty(at) || at.Split('/').Contains("..") || (image is null && at.TrimStart('/').Length == 0))
            {
                Error($"{mountPath}/mountPath", "is required, without '..'");
            }

            if (volume is not null && !string.IsNullOrEmpty(at))
            {
                mounts.Add(new PodVolumeMountSpec(volume, at, Boolean(mount, "readOnly", mountPath, false)));
            }
        }

        var endpoints = new List<PodEndpointSpec>();
        foreach (var (endpoint, endpointPath) in Objects(json["endpoints"], $"{path}/endpoints"))
        {
            var endpointName = OptionalString(endpoint, "name", endpointPath);
            if (endpointName is null || !PortNamePattern().IsMatch(endpointName))
            {
                Error($"{endpointPath}/name", "an endpoint needs a name of lowercase letters, digits and '-'");
                continue;
            }

            if (endpoint["containerPort"] is not null && image is null)
            {
                Error($"{endpointPath}/containerPort", "container ports need container networking: host-networked endpoints have a hostPort");
            }

            var hostPort = Integer(endpoint, "hostPort", endpointPath, 0, min: 0, (65535, "a port"));
            var protocols = OptionalStrings(endpoint, "protocol", endpointPath) ?? ["tcp"];
            if (protocols.Any(p => p is not ("tcp" or "udp")))
            {
                Error($"{endpointPath}/protocol", "must be tcp and/or udp");
            }

            endpoints.Add(new PodEndpointSpec(endpointName, hostPort, protocols, ReadStringMap(endpoint["labels"], $"{endpointPath}/labels")));
        }

        var check = json["healthCheck"] is JsonObject health ? PodHealth(health, $"{path}/healthCheck", endpoints) : null;
        var grace = json["lifecycle"] is JsonObject lifecycle ? Number(lifecycle, "killGracePeriodSeconds", $"{path}/lifecycle", 3, min: 0) : (double?)null;
        return _errors.Count == before
            ? new PodContainerSpec(name!, cpus, mem, disk, gpus, shell, image, forcePull, ReadEnv(json["environment"], $"{path}/environment"),
                mounts, endpoints, check, ReadStringMap(json["labels"], $"{path}/labels"), grace)
            : null;
    }

    private PodHealthCheckSpec? PodHealth(JsonObject json, string path, IReadOnlyList<PodEndpointSpec> endpoints)
    {
        string kind;
        string? endpoint = null, httpPath = null, command = null;
        if (json["http"] is JsonObject http)
        {
            kind = "HTTP";
            endpoint = OptionalString(http, "endpoint", $"{path}/http");
            httpPath = OptionalString(http, "path", $"{path}/http") ?? "/";
        }
        else if (json["tcp"] is JsonObject tcp)
        {
            kind = "TCP";
            endpoint = OptionalString(tcp, "endpoint", $"{path}/tcp");
        }
        else if (json["exec"] is JsonObject exec && exec["command"] is JsonObject commandJson)
        {
            kind = "COMMAND";
            command = OptionalString(commandJson, "shell", $"{path}/exec/command");
            if (command is null)
            {
                Error($"{path}/exec/command/shell", "is required");
            }
        }
        else
        {
            Error(path, "give http, tcp or exec");
            return null;
        }

        if (kind != "COMMAND" && !endpoints.Any(e => e.Name == endpoint))
        {
            Error($"{path}/{kind.ToLowerInvariant()}/endpoint", $"'{endpoint}' is not an endpoint of this container");
        }

        return new PodHealthCheckSpec(kind, endpoint, httpPath, command,
            Number(json, "gracePeriodSeconds", path, 300, min: 0),
            Number(json, "intervalSeconds", path, 60, min: 0.001),
            Integer(json, "maxConsecutiveFailures", path, 3, min: 0),
            Number(json, "timeoutSeconds", path, 20, min: 0.001),
            Number(json, "delaySeconds", path, 2, min: 0));
    }

    /// <summary>Pod constraints (<c>{"fieldName", "operator", "value"}</c>) in the app form <c>[field, OPERATOR, value]</c>.</summary>
    private List<IReadOnlyList<string>> PodConstraints(JsonNode? node, string path)
    {
        var result = new List<IReadOnlyList<string>>();
        foreach (var (constraint, itemPath) in Objects(node, path))
        {
            var field = OptionalString(constraint, "fieldName", itemPath);
            var op = OptionalString(constraint, "operator", itemPath);
            if (field is null || op is null)
            {
                Error(itemPath, "a constraint needs fieldName and operator");
                continue;
            }

            try
            {
                result.Add(Constraint.Create(field, op, OptionalString(constraint, "value", itemPath)).ToJsonArray());
            }
            catch (InvalidConstraintException ex)
            {
                Error(itemPath, ex.Message);
            }
        }

        return result;
    }
}

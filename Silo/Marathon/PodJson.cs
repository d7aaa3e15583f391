using System.Text.Json.Nodes;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Mesos;

namespace OrleansDcos.Silo.Marathon;

/// <summary>Marathon's pod JSON (pod.raml) and pod status (podStatus.raml) of a pod kept as an app with a <see cref="PodSpec"/>.</summary>
internal static class PodJson
{
    /// <summary>The pod as <c>GET /v2/pods/{id}</c> answers it.</summary>
    public static JsonObject Pod(AppDefinition app)
    {
        var pod = app.Pod!;
        var json = new JsonObject
        {
            ["id"] = app.Id,
            ["labels"] = Map(app.Labels),
            ["version"] = app.Version,
            ["environment"] = Map(app.Env),
            ["containers"] = new JsonArray([.. pod.Containers.Select(c => (JsonNode)Container(c))]),
            ["volumes"] = new JsonArray([.. pod.Volumes.Select(v => (JsonNode)(v.Host is { } host ? new JsonObject { ["name"] = v.Name, ["host"] = host }
                : v.PersistentSize is { } size ? new JsonObject { ["name"] = v.Name, ["persistent"] = new JsonObject { ["type"] = "root", ["size"] = size } }
                : new JsonObject { ["name"] = v.Name }))]),
            ["networks"] = new JsonArray(new JsonObject { ["mode"] = "host" }),
            ["scaling"] = new JsonObject { ["kind"] = "fixed", ["instances"] = app.Instances },
            ["scheduling"] = new JsonObject
            {
                ["backoff"] = new JsonObject { ["backoff"] = app.BackoffSeconds, ["backoffFactor"] = app.BackoffFactor, ["maxLaunchDelay"] = app.MaxLaunchDelaySeconds },
                ["upgrade"] = new JsonObject { ["minimumHealthCapacity"] = app.UpgradeStrategy.MinimumHealthCapacity, ["maximumOverCapacity"] = app.UpgradeStrategy.MaximumOverCapacity },
                ["placement"] = new JsonObject
                {
                    ["constraints"] = new JsonArray([.. app.Constraints.Select(c => (JsonNode)new JsonObject { ["fieldName"] = c[0], ["operator"] = c[1], ["value"] = c.Count > 2 ? c[2] : null })]),
                    ["acceptedResourceRoles"] = new JsonArray([.. (app.AcceptedResourceRoles ?? ["*"]).Select(r => (JsonNode)JsonValue.Create(r))]),
                },
                ["killSelection"] = app.KillSelection,
                ["unreachableStrategy"] = app.UnreachableStrategy is { } unreachable
                    ? new JsonObject { ["inactiveAfterSeconds"] = unreachable.InactiveAfterSeconds, ["expungeAfterSeconds"] = unreachable.ExpungeAfterSeconds }
                    : "disabled",
            },
            ["executorResources"] = new JsonObject { ["cpus"] = pod.ExecutorCpus, ["mem"] = pod.ExecutorMem, ["disk"] = pod.ExecutorDisk },
        };
        if (app.User is { } user)
        {
            json["user"] = user;
        }

        return json;
    }

    /// <summary>A string map as a JSON object (empty for none).</summary>
    private static JsonObject Map(IReadOnlyDictionary<string, string>? map) => new([.. (map ?? new Dictionary<string, string>()).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);

    private static JsonObject Container(PodContainerSpec c)
    {
        var json = new JsonObject
        {
            ["name"] = c.Name,
            ["resources"] = new JsonObject { ["cpus"] = c.Cpus, ["mem"] = c.Mem, ["disk"] = c.Disk, ["gpus"] = c.Gpus },
            ["endpoints"] = new JsonArray([.. (c.Endpoints ?? []).Select(e => (JsonNode)new JsonObject
            {
                ["name"] = e.Name,
                ["hostPort"] = e.HostPort,
                ["protocol"] = new JsonArray([.. (e.Protocol ?? ["tcp"]).Select(p => (JsonNode)JsonValue.Create(p))]),
                ["labels"] = Map(e.Labels),
            })]),
            ["environment"] = Map(c.Environment),
            ["volumeMounts"] = new JsonArray([.. (c.VolumeMounts ?? []).Select(m => (JsonNode)new JsonObject { ["name"] = m.Name, ["mountPath"] = m.MountPath, ["readOnly"] = m.ReadOnly })]),
            ["labels"] = Map(c.Labels),
        };
        if (c.Shell is { } shell)
        {
            json["exec"] = new JsonObject { ["command"] = new JsonObject { ["shell"] = shell } };
        }

        if (c.Image is { } image)
        {
            json["image"] = new JsonObject { ["kind"] = "DOCKER", ["id"] = image, ["forcePull"] = c.ForcePull };
        }

        if (c.HealthCheck is { } h)
        {
            var check = new JsonObject
            {
                ["gracePeriodSeconds"] = h.GracePeriodSeconds,
                ["intervalSeconds"] = h.IntervalSeconds,
                ["maxConsecutiveFailures"] = h.MaxConsecutiveFailures,
                ["timeoutSeconds"] = h.TimeoutSeconds,
                ["delaySeconds"] = h.DelaySeconds,
            };
            check[h.Kind switch { "HTTP" => "http", "TCP" => "tcp", _ => "exec" }] = h.Kind switch
            {
                "HTTP" => new JsonObject { ["endpoint"] = h.Endpoint, ["path"] = h.Path, ["scheme"] = "HTTP" },
                "TCP" => new JsonObject { ["endpoint"] = h.Endpoint },
                _ => new JsonObject { ["command"] = new JsonObject { ["shell"] = h.Command } },
            };
            json["healthCheck"] = check;
        }

        if (c.KillGracePeriodSeconds is { } grace)
        {
            json["lifecycle"] = new JsonObject { ["killGracePeriodSeconds"] = grace };
        }

        return json;
    }

    /// <summary>
    /// The pod's status (<c>::status</c>): each instance with its containers, STABLE when running (and healthy where
    /// checked), DEGRADED when running unhealthy, STAGING before; the pod DEPLOYING while a deployment holds it, STABLE
    /// when every wanted instance is, else DEGRADED.
    /// </summary>
    public static JsonObject Status(AppStatus status, bool deploying, DateTimeOffset now)
    {
        var app = status.Definition!;
        var instances = status.Instances.Select(i => Instance(app, i)).ToList();
        var stable = instances.Count(i => i["status"]!.GetValue<string>() == "STABLE");
        var timestamp = MarathonKeys.Timestamp(now);
        return new JsonObject
        {
            ["id"] = app.Id,
            ["spec"] = Pod(app),
            ["status"] = deploying ? "DEPLOYING" : stable == app.Instances && instances.Count == app.Instances ? "STABLE" : "DEGRADED",
            ["statusSince"] = app.VersionInfo?.LastScalingAt ?? app.Version ?? timestamp,
            ["instances"] = new JsonArray([.. instances]),
            ["terminationHistory"] = new JsonArray(),
            ["lastUpdated"] = timestamp,
            ["lastChanged"] = app.Version ?? timestamp,
        };
    }

    /// <summary>One instance: its status, agent, resources and containers.</summary>
    public static JsonObject Instance(AppDefinition app, InstanceRecord instance)
    {
        var state = instance.State;
        var status = state.IsTerminal() ? "TERMINAL"
            : state is TaskState.TASK_STAGING or TaskState.TASK_STARTING ? "STAGING"
            : state == TaskState.TASK_RUNNING && !instance.Killing ? (instance.Healthy == false ? "DEGRADED" : "STABLE")
            : "DEGRADED";
        var containers = app.Pod?.Containers ?? [];
        var endpointIndex = 0;
        return new JsonObject
        {
            ["id"] = instance.TaskId,
            ["status"] = status,
            ["statusSince"] = instance.StartedAt ?? instance.StagedAt,
            ["agentHostname"] = instance.Host,
            ["agentId"] = instance.AgentId,
            ["resources"] = new JsonObject { ["cpus"] = app.Cpus, ["mem"] = app.Mem, ["disk"] = app.Disk, ["gpus"] = app.Gpus },
            ["containers"] = new JsonArray([.. containers.Select(c =>
            {
                var known = instance.Containers?.GetValueOrDefault(c.Name);
                return (JsonNode)new JsonObject
                {
                    ["name"] = c.Name,
                    ["status"] = (known?.State ?? TaskState.TASK_STAGING).ToString(),
                    ["statusSince"] = known?.Since ?? instance.StagedAt,
                    ["containerId"] = MarathonKeys.PodTaskId(instance.TaskId, c.Name),
                    ["conditions"] = known?.Healthy is { } healthy
                        ? new JsonArray(new JsonObject { ["name"] = "healthy", ["value"] = healthy ? "true" : "false", ["lastChanged"] = known.Since, ["lastUpdated"] = known.Since })
                        : new JsonArray(),
                    ["endpoints"] = new JsonArray([.. (c.Endpoints ?? []).Select(e =>
                    {
                        var index = endpointIndex++;
                        return (JsonNode)new JsonObject { ["name"] = e.Name, ["allocatedHostPort"] = index < instance.Ports.Count ? instance.Ports[index] : e.HostPort };
                    })]),
                    ["resources"] = new JsonObject { ["cpus"] = c.Cpus, ["mem"] = c.Mem, ["disk"] = c.Disk, ["gpus"] = c.Gpus },
                    ["lastUpdated"] = known?.Since ?? instance.StagedAt,
                    ["lastChanged"] = known?.Since ?? instance.StagedAt,
                };
            })]),
            ["specReference"] = $"/v2/pods{app.Id}::versions/{instance.Version}",
            ["networks"] = new JsonArray(),
            ["lastUpdated"] = instance.StartedAt ?? instance.StagedAt,
            ["lastChanged"] = instance.StartedAt ?? instance.StagedAt,
        };
    }
}

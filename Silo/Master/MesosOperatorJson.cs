using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// The answers of Mesos' v1 operator API (<c>POST /api/v1</c>) in Mesos' protobuf-JSON mapping: <c>{type, get_x: …}</c>,
/// ids as <c>{value}</c>, times as <c>{nanoseconds}</c>, resources as <c>Resource</c> objects.
/// </summary>
internal static class MesosOperatorJson
{
    /// <summary>A response of <paramref name="type"/> carrying <paramref name="body"/> under its snake-case field.</summary>
    public static JsonObject Response(string type, JsonObject body) => new() { ["type"] = type, [type.ToLowerInvariant()] = body };

    public static JsonObject Health() => Response("GET_HEALTH", new JsonObject { ["healthy"] = true });

    public static JsonObject Version(MesosStateJson.Context context)
    {
        var (buildTime, sha) = MesosStateJson.Build(context.ProductVersion);
        var info = new JsonObject
        {
            ["version"] = MesosMaster.MesosVersion,
            ["build_date"] = buildTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["build_time"] = buildTime.ToUnixTimeSeconds(),
            ["build_user"] = "orleansdcos",
        };
        if (sha is not null)
        {
            info["git_sha"] = sha;
        }

        return Response("GET_VERSION", new JsonObject { ["version_info"] = info });
    }

    public static JsonObject Flags(MesosStateJson.Context context) => Response("GET_FLAGS", new JsonObject
    {
        ["flags"] = new JsonArray([.. MesosStateJson.Flags(context).Select(kv => (JsonNode)new JsonObject { ["name"] = kv.Key, ["value"] = kv.Value!.GetValue<string>() })]),
    });

    public static JsonObject Metrics(JsonObject snapshot) => Response("GET_METRICS", new JsonObject
    {
        ["metrics"] = new JsonArray([.. snapshot.Select(kv => (JsonNode)new JsonObject { ["name"] = kv.Key, ["value"] = kv.Value.Deserialize<double>() })]), // ints and doubles alike
    });

    public static JsonObject State(MasterView view, MasterOptions options) => Response("GET_STATE", new JsonObject
    {
        ["get_tasks"] = TasksBody(view, options),
        ["get_executors"] = ExecutorsBody(),
        ["get_frameworks"] = FrameworksBody(view),
        ["get_agents"] = AgentsBody(view),
    });

    public static JsonObject Agents(MasterView view) => Response("GET_AGENTS", AgentsBody(view));

    public static JsonObject Frameworks(MasterView view) => Response("GET_FRAMEWORKS", FrameworksBody(view));

    public static JsonObject Tasks(MasterView view, MasterOptions options) => Response("GET_TASKS", TasksBody(view, options));

    /// <summary>Tasks run under Mesos' command executor, which the master does not list as an executor.</summary>
    public static JsonObject Executors() => Response("GET_EXECUTORS", ExecutorsBody());

    public static JsonObject Roles(MasterView view, IReadOnlyList<RoleWeight> weights, IReadOnlyList<RoleQuotaInfo> quotas)
    {
        var weightOf = weights.ToDictionary(w => w.Role, w => w.Weight, StringComparer.Ordinal);
        var quotaOf = quotas.ToDictionary(q => q.Role, StringComparer.Ordinal);
        var frameworksOf = view.Frameworks.Where(f => !f.Removed && f.Info.Id is not null)
            .SelectMany(f => f.Info.EffectiveRoles.Select(r => (Role: r, Id: f.Info.Id!)))
            .ToLookup(x => x.Role, x => x.Id, StringComparer.Ordinal);
        var live = view.Tasks.Where(t => t.Task.State.IsLive()).ToList();
        var names = weightOf.Keys.Concat(quotaOf.Keys).Concat(frameworksOf.Select(g => g.Key)).Concat(live.Select(t => t.Task.Role))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return Response("GET_ROLES", new JsonObject
        {
            ["roles"] = new JsonArray([.. names.Select(name =>
            {
                var role = new JsonObject
                {
                    ["name"] = name,
                    ["weight"] = weightOf.GetValueOrDefault(name, 1.0),
                    ["frameworks"] = MesosIdJson.ArrayOf(frameworksOf[name].Order(StringComparer.Ordinal)),
                    ["resources"] = MesosResourceJson.ToJson(live.Where(t => t.Task.Role == name).Aggregate(Resources.Empty, (sum, t) => sum.Plus(t.Task.Resources)), name),
                };
                if (quotaOf.TryGetValue(name, out var quota))
                {
                    role["quota"] = new JsonObject
                    {
                        ["role"] = name,
                        ["guarantee"] = MesosResourceJson.ToJson(quota.Guarantee),
                        ["limit"] = MesosResourceJson.ToJson(quota.Limit),
                    };
                }

                return (JsonNode)role;
            })]),
        });
    }

    public static JsonObject Weights(IReadOnlyList<RoleWeight> weights) => Response("GET_WEIGHTS", new JsonObject
    {
        ["weight_infos"] = new JsonArray([.. weights.OrderBy(w => w.Role, StringComparer.Ordinal).Select(w => (JsonNode)new JsonObject { ["weight"] = w.Weight, ["role"] = w.Role })]),
    });

    public static JsonObject Quota(IReadOnlyList<RoleQuotaInfo> quotas) => Response("GET_QUOTA", new JsonObject
    {
        ["status"] = new JsonObject
        {
            ["infos"] = new JsonArray([.. quotas.Select(q => (JsonNode)new JsonObject { ["role"] = q.Role, ["guarantee"] = MesosResourceJson.ToJson(q.Guarantee) })]),
            ["configs"] = new JsonArray([.. quotas.Select(q => (JsonNode)new JsonObject
            {
                ["role"] = q.Role,
                ["guarantees"] = Quantities(q.Guarantee),
                ["limits"] = Quantities(q.Limit),
            })]),
        },
    });

    /// <summary>Agents draining as Mesos' draining machines, drained ones (maintenance) as its down machines.</summary>
    public static JsonObject MaintenanceStatus(MasterView view)
    {
        JsonNode Machine(AgentSnapshot a) => new JsonObject { ["hostname"] = a.Info.Hostname, ["ip"] = a.Info.Ip };
        return Response("GET_MAINTENANCE_STATUS", new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["draining_machines"] = new JsonArray([.. view.Agents.Where(a => a.Status == AgentStatus.Draining)
                    .Select(a => (JsonNode)new JsonObject { ["id"] = Machine(a), ["statuses"] = new JsonArray() })]),
                ["down_machines"] = new JsonArray([.. view.Agents.Where(a => a.Status == AgentStatus.Maintenance).Select(Machine)]),
            },
        });
    }

    /// <summary>A time as Mesos' <c>TimeInfo</c>.</summary>
    public static JsonObject Time(DateTimeOffset at) => new() { ["nanoseconds"] = at.ToUnixTimeMilliseconds() * 1_000_000 };

    private static JsonObject AgentsBody(MasterView view) => new()
    {
        ["agents"] = new JsonArray([.. view.Agents
            .Where(a => a.Status.IsRegistered())
            .Select(a => (JsonNode)Agent(a, view.Allocation.Agents.FirstOrDefault(x => x.AgentId == a.Info.AgentId)))]),
        ["recovered_agents"] = new JsonArray(),
    };

    /// <summary>An agent as GET_AGENTS and AGENT_ADDED show it.</summary>
    public static JsonObject Agent(AgentSnapshot agent, AgentAllocationInfo? allocation)
    {
        var info = agent.Info;
        var agentInfo = new JsonObject
        {
            ["hostname"] = info.Hostname,
            ["port"] = info.Port,
            ["id"] = MesosIdJson.Of(info.AgentId),
            ["resources"] = MesosResourceJson.ToJson(info.Resources),
            ["attributes"] = MesosResourceJson.AttributesToJson(info.Attributes),
        };
        if (info.Region is { } region)
        {
            agentInfo["domain"] = MesosDomainJson.Of(region, info.Zone);
        }

        var json = new JsonObject
        {
            ["agent_info"] = agentInfo,
            ["active"] = agent.Status == AgentStatus.Active && agent.Connected,
            ["deactivated"] = agent.Status.IsDeactivated(),
            ["version"] = info.Version,
            ["pid"] = $"slave(1)@{info.Ip}:{info.Port}",
            ["registered_time"] = Time(agent.RegisteredAt),
            ["total_resources"] = MesosResourceJson.ToJson(info.Resources),
            ["allocated_resources"] = MesosResourceJson.ToJson(allocation?.Used ?? Resources.Empty),
            ["offered_resources"] = MesosResourceJson.ToJson(allocation?.Offered ?? Resources.Empty),
            ["capabilities"] = new JsonArray(new JsonObject { ["type"] = "MULTI_ROLE" }),
        };
        if (agent.Status is AgentStatus.Draining or AgentStatus.Maintenance)
        {
            json["drain_info"] = new JsonObject
            {
                ["state"] = agent.Status == AgentStatus.Draining ? "DRAINING" : "DRAINED",
                ["config"] = new JsonObject(),
            };
        }

        return json;
    }

    private static JsonObject FrameworksBody(MasterView view)
    {
        var used = view.Tasks.Where(t => t.Task.State.IsLive())
            .GroupBy(t => t.Task.FrameworkId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(Resources.Empty, (sum, t) => sum.Plus(t.Task.Resources)), StringComparer.Ordinal);
        JsonNode Of(FrameworkSnapshot f) => Framework(f, used.GetValueOrDefault(f.Info.Id ?? "", Resources.Empty));
        return new JsonObject
        {
            ["frameworks"] = new JsonArray([.. view.Frameworks.Where(f => !f.Removed).Select(Of)]),
            ["completed_frameworks"] = new JsonArray([.. view.Frameworks.Where(f => f.Removed).Select(Of)]),
            ["recovered_frameworks"] = new JsonArray(),
        };
    }

    /// <summary>A framework as GET_FRAMEWORKS and FRAMEWORK_ADDED/UPDATED show it.</summary>
    public static JsonObject Framework(FrameworkSnapshot f, Resources allocated)
    {
        var json = new JsonObject
        {
            ["framework_info"] = MesosFrameworkInfoJson.Write(f.Info),
            ["active"] = f.Active,
            ["connected"] = f.Connected,
            ["recovered"] = false,
            ["registered_time"] = Time(f.RegisteredAt),
            ["offers"] = new JsonArray([.. f.Offers.Select(o => (JsonNode)MesosOfferJson.Write(o))]),
            ["inverse_offers"] = new JsonArray(),
            ["allocated_resources"] = MesosResourceJson.ToJson(allocated),
            ["offered_resources"] = MesosResourceJson.ToJson(f.Offers.Aggregate(Resources.Empty, (sum, o) => sum.Plus(o.Resources))),
        };
        if (f.DisconnectedAt is { } away)
        {
            json["unregistered_time"] = Time(away);
        }

        return json;
    }

    private static JsonObject TasksBody(MasterView view, MasterOptions options)
    {
        var live = view.Agents.SelectMany(a => a.Tasks.Select(t => (Agent: a, Task: t))).ToList();
        var completed = view.Agents.SelectMany(a => (a.CompletedTasks ?? []).Select(t => (Agent: a, Task: t)))
            .Concat(live.Where(t => t.Task.State.IsTerminal()))
            .GroupBy(t => t.Task.FrameworkId, StringComparer.Ordinal)
            .SelectMany(g => MesosStateJson.NewestCompleted(g, options));
        return new JsonObject
        {
            ["pending_tasks"] = new JsonArray(),
            ["tasks"] = new JsonArray([.. live.Where(t => t.Task.State.IsLive()).Select(t => (JsonNode)Task(t.Agent, t.Task))]),
            ["unreachable_tasks"] = new JsonArray([.. live.Where(t => t.Task.State == TaskState.TASK_UNREACHABLE).Select(t => (JsonNode)Task(t.Agent, t.Task))]),
            ["completed_tasks"] = new JsonArray([.. completed.Select(t => (JsonNode)Task(t.Agent, t.Task))]),
            ["orphan_tasks"] = new JsonArray(),
        };
    }

    private static JsonObject ExecutorsBody() => new() { ["executors"] = new JsonArray(), ["orphan_executors"] = new JsonArray() };

    private static JsonObject Task(AgentSnapshot agent, AgentTask task) =>
        Task(agent.Info.AgentId, agent.Info.Ip, task, agent.Statuses?.GetValueOrDefault(task.TaskId));

    /// <summary>A task as GET_TASKS and TASK_ADDED show it: its statuses when known, else its current one.</summary>
    public static JsonObject Task(string agentId, string? agentIp, AgentTask task, IReadOnlyList<TaskStatusEntry>? kept)
    {
        IReadOnlyList<TaskStatusEntry> statuses = kept is { Count: > 0 } ? kept : [new TaskStatusEntry(task.State, task.Timestamp, task.Healthy)];
        var json = new JsonObject
        {
            ["name"] = task.Name,
            ["task_id"] = MesosIdJson.Of(task.TaskId),
            ["framework_id"] = MesosIdJson.Of(task.FrameworkId),
            ["agent_id"] = MesosIdJson.Of(agentId),
            ["state"] = task.State.ToString(),
            ["resources"] = MesosResourceJson.ToJson(task.Resources, task.Role),
            ["statuses"] = new JsonArray([.. statuses.Select(s => (JsonNode)Status(agentId, agentIp, task.TaskId, s))]),
            ["status_update_state"] = task.State.ToString(),
            ["role"] = task.Role,
        };
        if (task.Discovery is { } discovery)
        {
            json["discovery"] = MesosTaskInfoJson.WriteDiscovery(discovery, task.Name);
        }

        return json;
    }

    private static JsonObject Status(string agentId, string? agentIp, string taskId, TaskStatusEntry entry)
    {
        var status = new JsonObject
        {
            ["task_id"] = MesosIdJson.Of(taskId),
            ["state"] = entry.State.ToString(),
            ["timestamp"] = entry.Timestamp,
            ["agent_id"] = MesosIdJson.Of(agentId),
        };
        if (MesosTaskStatusJson.NetworkInfos(entry.State, agentIp) is { } networks)
        {
            status["container_status"] = new JsonObject { ["network_infos"] = networks };
        }

        if (entry.Healthy is { } healthy)
        {
            status["healthy"] = healthy;
        }

        return status;
    }

    /// <summary>Scalar quantities as Mesos' quota configs write them: <c>{"cpus": {"value": 1}}</c>.</summary>
    private static JsonObject Quantities(Resources resources)
    {
        var json = new JsonObject();
        foreach (var (name, value) in MesosResourceJson.Summary(resources))
        {
            if (value is JsonValue && value.Deserialize<double>() is > 0 and var quantity)
            {
                json[name] = new JsonObject { ["value"] = quantity };
            }
        }

        return json;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Scheduling.Time;
using OrleansDcos.Silo.Api;
using OrleansDcos.Silo.Hosting;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// The master's operator endpoints in Mesos' shapes: <c>/master/state</c>, <c>/master/slaves</c>,
/// <c>/master/frameworks</c>, <c>/master/tasks</c>, <c>/weights</c>, <c>/quota</c>, <c>/metrics/snapshot</c>,
/// teardown, agent drain/reactivate/gone, and task logs.
/// </summary>
public static class MasterEndpoints
{

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapMasterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/master/state", async (HttpContext context, IGrainFactory grains, ClusterLeader leader) => Json(await StateAsync(context, grains, leader)));
        endpoints.MapGet("/state", async (HttpContext context, IGrainFactory grains, ClusterLeader leader) => Json(await StateAsync(context, grains, leader)));
        endpoints.MapGet("/master/slaves", async (IGrainFactory grains) =>
        {
            var view = await MasterView.ReadAsync(grains);
            return Json(new JsonObject { ["slaves"] = new JsonArray(view.Agents.Select(a => (JsonNode)AgentJson(a, view)).ToArray()) });
        });
        endpoints.MapGet("/master/frameworks", async (IGrainFactory grains) =>
        {
            var view = await MasterView.ReadAsync(grains);
            return Json(FrameworksJson(view));
        });
        endpoints.MapGet("/master/tasks", async (IGrainFactory grains) =>
        {
            var view = await MasterView.ReadAsync(grains);
            return Json(new JsonObject { ["tasks"] = new JsonArray(view.Tasks.Select(t => (JsonNode)TaskJson(t.AgentId, t.Task)).ToArray()) });
        });
        endpoints.MapGet("/weights", async (IGrainFactory grains) => Results.Json(await Allocator(grains).GetWeights()));
        endpoints.MapPut("/weights", (HttpContext context, IGrainFactory grains) => ApiResults.Guard(async () =>
        {
            var weights = await ReadBodyAsync<List<RoleWeight>>(context) ?? throw new BadRequestException("the body must be an array of {role, weight}");
            await Allocator(grains).SetWeights(weights);
            return Results.Ok();
        }));
        endpoints.MapGet("/quota", async (IGrainFactory grains) => Json(new JsonObject
        {
            ["infos"] = new JsonArray((await Allocator(grains).GetQuotas()).Select(q => (JsonNode)new JsonObject
            {
                ["role"] = q.Role,
                ["guarantee"] = MesosResourceJson.ToJson(q.Guarantee),
                ["limit"] = MesosResourceJson.ToJson(q.Limit),
            }).ToArray()),
        }));
        endpoints.MapPost("/quota", (HttpContext context, IGrainFactory grains) => ApiResults.Guard(async () =>
        {
            using var body = await ReadDocumentAsync(context);
            var root = body.RootElement;
            var role = MesosJsonReader.String(root, "role", "quota");
            await Allocator(grains).SetQuota(new RoleQuotaInfo(
                role,
                MesosResourceJson.FromJson(MesosJsonReader.Array(root, "guarantee", "quota"), "quota.guarantee"),
                MesosResourceJson.FromJson(MesosJsonReader.Array(root, "limit", "quota"), "quota.limit")));
            return Results.Ok();
        }));
        endpoints.MapDelete("/quota/{role}", (string role, IGrainFactory grains) => ApiResults.Guard(async () =>
        {
            await Allocator(grains).SetQuota(new RoleQuotaInfo(role, Resources.Empty, Resources.Empty));
            return Results.Ok();
        }));
        endpoints.MapPost("/master/teardown", (HttpContext context, IGrainFactory grains) => ApiResults.Guard(async () =>
        {
            var id = context.Request.HasFormContentType ? (await context.Request.ReadFormAsync())["frameworkId"].ToString() : context.Request.Query["frameworkId"].ToString();
            if (string.IsNullOrEmpty(id))
            {
                throw new BadRequestException("frameworkId is required");
            }

            if ((await grains.GetGrain<IFrameworkGrain>(id).GetSnapshot()).Info.Name.Length == 0)
            {
                return ApiResults.Error(StatusCodes.Status404NotFound, $"framework '{id}' is not known");
            }

            await grains.GetGrain<IFrameworkGrain>(id).Remove();
            return Results.Ok();
        }));
        endpoints.MapPost("/master/agents/{agentId}/drain", (string agentId, double? gracePeriodSeconds, IGrainFactory grains) =>
            ApiResults.Guard(async () => { await grains.GetGrain<IAgentGrain>(agentId).Drain(MesosDurations.FromSeconds(gracePeriodSeconds)); return Results.Ok(); }));
        endpoints.MapPost("/master/agents/{agentId}/reactivate", (string agentId, IGrainFactory grains) =>
            ApiResults.Guard(async () => { await grains.GetGrain<IAgentGrain>(agentId).Reactivate(); return Results.Ok(); }));
        endpoints.MapPost("/master/agents/{agentId}/gone", (string agentId, IGrainFactory grains) => ApiResults.Guard(async () =>
        {
            var agent = grains.GetGrain<IAgentGrain>(agentId);
            if ((await agent.GetSnapshot()).Status == AgentStatus.Unknown)
            {
                return ApiResults.Error(StatusCodes.Status404NotFound, $"agent '{agentId}' is not known");
            }

            await agent.Remove();
            return Results.Ok();
        }));
        endpoints.MapGet("/api/v1/tasks/{taskId}/logs/{file}", (string taskId, string file, string? agentId, long? offset, int? length, IGrainFactory grains) =>
            ApiResults.Guard(async () =>
            {
                var where = agentId ?? (await MasterView.ReadAsync(grains)).Tasks.FirstOrDefault(t => t.Task.TaskId == taskId).AgentId;
                if (where is null)
                {
                    return ApiResults.Error(StatusCodes.Status404NotFound, $"task '{taskId}' is not known");
                }

                var chunk = await grains.GetGrain<IAgentGrain>(where).ReadLog(taskId, file, offset ?? 0, length ?? 65536);
                return chunk.Error is null
                    ? Results.Json(new { data = chunk.Data, offset = chunk.Offset, size = chunk.Size })
                    : ApiResults.Error(StatusCodes.Status404NotFound, chunk.Error);
            }));
        endpoints.MapGet("/metrics/snapshot", async (IGrainFactory grains, ClusterLeader leader, SiloUptime uptime) => Json(MetricsJson(await MasterView.ReadAsync(grains), leader.IsSelf, uptime)));
        return endpoints;
    }

    private static IAllocatorGrain Allocator(IGrainFactory grains) => grains.GetGrain<IAllocatorGrain>(MasterKeys.Allocator);

    private static IResult Json(JsonObject json) => Results.Text(json.ToJsonString(), "application/json");

    private static async Task<JsonDocument> ReadDocumentAsync(HttpContext context)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body);
        }
        catch (JsonException ex)
        {
            throw new BadRequestException($"the body is not valid JSON: {ex.Message}");
        }
    }

    private static async Task<T?> ReadBodyAsync<T>(HttpContext context)
    {
        try
        {
            return await context.Request.ReadFromJsonAsync<T>();
        }
        catch (JsonException ex)
        {
            throw new BadRequestException($"the body is not valid: {ex.Message}");
        }
    }

    private static async Task<JsonObject> StateAsync(HttpContext context, IGrainFactory grains, ClusterLeader leader)
    {
        var view = await MasterView.ReadAsync(grains);
        var frameworks = FrameworksJson(view);
        return new JsonObject
        {
            ["version"] = InfoEndpoints.ProductVersion,
            ["id"] = "orleans-dcos-master",
            ["hostname"] = context.Request.Host.Host,
            ["leader"] = leader.Address is { } address ? $"master@{address}" : null,
            ["start_time"] = UnixTime.Seconds(context.RequestServices.GetRequiredService<SiloUptime>().Started),
            ["elected_time"] = leader.Current is { } elected ? ClusterLeader.StartTime(elected).ToUnixTimeMilliseconds() / 1000.0 : null,
            ["activated_slaves"] = view.Agents.Count(a => a.Status == AgentStatus.Active && a.Connected),
            ["deactivated_slaves"] = view.Agents.Count(a => a.Status is AgentStatus.Draining or AgentStatus.Maintenance),
            ["unreachable_slaves"] = new JsonArray(view.Agents.Where(a => a.Status == AgentStatus.Unreachable).Select(a => (JsonNode)new JsonObject
            {
                ["id"] = a.Info.AgentId,
                ["timestamp"] = a.UnreachableSince is { } since ? UnixTime.Seconds(since) : null,
            }).ToArray()),
            ["slaves"] = new JsonArray(view.Agents.Where(a => a.Status != AgentStatus.Gone).Select(a => (JsonNode)AgentJson(a, view)).ToArray()),
            ["frameworks"] = frameworks["frameworks"]!.DeepClone(),
            ["completed_frameworks"] = frameworks["completed_frameworks"]!.DeepClone(),
        };
    }

    private static JsonObject AgentJson(AgentSnapshot agent, MasterView view)
    {
        var allocation = view.Allocation.Agents.FirstOrDefault(a => a.AgentId == agent.Info.AgentId);
        return new JsonObject
        {
            ["id"] = agent.Info.AgentId,
            ["hostname"] = agent.Info.Hostname,
            ["pid"] = $"slave@{agent.Info.Address ?? agent.Info.Hostname}",
            ["resources"] = MesosResourceJson.Summary(agent.Info.Resources),
            ["used_resources"] = MesosResourceJson.Summary(allocation?.Used ?? Resources.Empty),
            ["offered_resources"] = MesosResourceJson.Summary(allocation?.Offered ?? Resources.Empty),
            ["unreserved_resources"] = MesosResourceJson.Summary(agent.Info.Resources),
            ["attributes"] = MesosResourceJson.AttributeSummary(agent.Info.Attributes),
            ["active"] = agent.Status == AgentStatus.Active && agent.Connected,
            ["status"] = agent.Status.ToString().ToUpperInvariant(),
            ["connected"] = agent.Connected,
            ["registered_time"] = UnixTime.Seconds(agent.RegisteredAt),
            ["version"] = agent.Info.Version,
        };
    }

    private static JsonObject FrameworksJson(MasterView view)
    {
        JsonNode FrameworkJson(FrameworkSnapshot f) => new JsonObject
        {
            ["id"] = f.Info.Id,
            ["name"] = f.Info.Name,
            ["user"] = f.Info.User,
            ["roles"] = new JsonArray(f.Info.EffectiveRoles.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()),
            ["principal"] = f.Info.Principal,
            ["active"] = f.Active,
            ["connected"] = f.Connected,
            ["failover_timeout"] = f.Info.FailoverTimeoutSeconds,
            ["registered_time"] = UnixTime.Seconds(f.RegisteredAt),
            ["unregistered_time"] = f.DisconnectedAt is { } away ? UnixTime.Seconds(away) : null,
            ["capabilities"] = new JsonArray((f.Info.Capabilities ?? []).Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
            ["tasks"] = new JsonArray(view.Tasks.Where(t => t.Task.FrameworkId == f.Info.Id).Select(t => (JsonNode)TaskJson(t.AgentId, t.Task)).ToArray()),
            ["offers"] = new JsonArray(f.Offers.Select(o => (JsonNode)MesosOfferJson.Write(o)).ToArray()),
        };
        return new JsonObject
        {
            ["frameworks"] = new JsonArray(view.Frameworks.Where(f => !f.Removed).Select(FrameworkJson).ToArray()),
            ["completed_frameworks"] = new JsonArray(view.Frameworks.Where(f => f.Removed).Select(FrameworkJson).ToArray()),
        };
    }

    private static JsonObject TaskJson(string agentId, AgentTask task) => new()
    {
        ["id"] = task.TaskId,
        ["name"] = task.Name,
        ["framework_id"] = task.FrameworkId,
        ["slave_id"] = agentId,
        ["state"] = task.State.ToString(),
        ["role"] = task.Role,
        ["resources"] = task.Resources.IsEmpty ? new JsonObject() : MesosResourceJson.Summary(task.Resources),
        ["statuses"] = new JsonArray(new JsonObject { ["state"] = task.State.ToString(), ["timestamp"] = task.Timestamp, ["healthy"] = task.Healthy }),
    };

    private static JsonObject MetricsJson(MasterView view, bool elected, SiloUptime uptime)
    {
        var metrics = new JsonObject
        {
            ["master/elected"] = elected ? 1 : 0,
            ["master/uptime_secs"] = uptime.Elapsed.TotalSeconds,
            ["master/slaves_active"] = view.Agents.Count(a => a.Status == AgentStatus.Active && a.Connected),
            ["master/slaves_connected"] = view.Agents.Count(a => a.Connected),
            ["master/slaves_disconnected"] = view.Agents.Count(a => !a.Connected && a.Status != AgentStatus.Gone),
            ["master/slaves_unreachable"] = view.Agents.Count(a => a.Status == AgentStatus.Unreachable),
            ["master/slaves_inactive"] = view.Agents.Count(a => a.Status is AgentStatus.Draining or AgentStatus.Maintenance),
            ["master/frameworks_active"] = view.Frameworks.Count(f => f.Active),
            ["master/frameworks_connected"] = view.Frameworks.Count(f => f.Connected),
            ["master/frameworks_disconnected"] = view.Frameworks.Count(f => !f.Connected && !f.Removed),
            ["master/outstanding_offers"] = view.Allocation.Offers.Count,
        };
        foreach (var state in Enum.GetValues<TaskState>())
        {
            metrics[$"master/tasks_{state.ToString()["TASK_".Length..].ToLowerInvariant()}"] = view.Tasks.Count(t => t.Task.State == state);
        }

        foreach (var name in new[] { "cpus", "mem", "disk", "gpus" })
        {
            var total = view.Allocation.Agents.Sum(a => MesosResourceJson.Summary(a.Total)[name]!.GetValue<double>());
            var used = view.Allocation.Agents.Sum(a => MesosResourceJson.Summary(a.Used)[name]!.GetValue<double>());
            metrics[$"master/{name}_total"] = total;
            metrics[$"master/{name}_used"] = used;
            metrics[$"master/{name}_percent"] = total > 0 ? used / total : 0;
        }

        return metrics;
    }
}

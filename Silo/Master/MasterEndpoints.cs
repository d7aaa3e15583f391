using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Silo.Api;
using OrleansDcos.Silo.Hosting;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// The master's operator endpoints in Mesos' shapes: <c>/master/state</c>, <c>/health</c>, <c>/master/slaves</c>,
/// <c>/master/frameworks</c>, <c>/master/tasks</c>, <c>/weights</c>, <c>/quota</c>, <c>/metrics/snapshot</c>,
/// teardown, agent drain/reactivate/gone, and task logs.
/// </summary>
public static class MasterEndpoints
{

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapMasterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/master/state", async (HttpContext context, IGrainFactory grains) => Json(MesosStateJson.State(await MasterView.ReadAsync(grains), StateContext(context))));
        endpoints.MapGet("/state", async (HttpContext context, IGrainFactory grains) => Json(MesosStateJson.State(await MasterView.ReadAsync(grains), StateContext(context))));
        // Mesos' health check: 200 with no body while this silo serves (a load balancer in front of the masters asks it).
        endpoints.MapGet("/health", () => Results.Ok());
        endpoints.MapGet("/master/health", () => Results.Ok());
        endpoints.MapGet("/master/slaves", async (IGrainFactory grains) => Json(MesosStateJson.Slaves(await MasterView.ReadAsync(grains))));
        endpoints.MapGet("/master/frameworks", async (IGrainFactory grains, IOptions<MasterOptions> options) =>
            Json(MesosStateJson.Frameworks(await MasterView.ReadAsync(grains), options.Value)));
        endpoints.MapGet("/master/tasks", async (IGrainFactory grains) => Json(MesosStateJson.Tasks(await MasterView.ReadAsync(grains))));
        endpoints.MapGet("/weights", async (IGrainFactory grains) => Results.Json(await Allocator(grains).GetWeights()));
        endpoints.MapPut("/weights", (HttpContext context, IGrainFactory grains) => ApiResults.Guard(async () =>
        {
            var weights = await ReadBodyAsync<List<RoleWeight?>>(context) is { } list && list.All(w => w is { Role: not null })
                ? list.Select(w => w!).ToList()
                : throw new BadRequestException("the body must be an array of {role, weight}");
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
            var id = context.Request.HasFormContentType ? (await RequestForms.ReadAsync(context.Request))["frameworkId"].ToString() : context.Request.Query["frameworkId"].ToString();
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
        endpoints.MapGet("/metrics/snapshot", async (IGrainFactory grains, ClusterLeader leader, SiloUptime uptime, TaskStateCounters counters) =>
            Json(MetricsJson(await MasterView.ReadAsync(grains), leader.IsSelf, uptime, counters)));
        return endpoints;
    }

    private static IAllocatorGrain Allocator(IGrainFactory grains) => grains.GetGrain<IAllocatorGrain>(MasterKeys.Allocator);

    private static IResult Json(JsonObject json) => Results.Text(json.ToJsonString(), "application/json");

    /// <summary>A /weights or /quota body is a few roles' worth of JSON: larger ones are refused (413) before they are parsed.</summary>
    private const long MaxBodyBytes = 1024 * 1024;

    private const string BodyLimit = "the limit of /weights and /quota bodies";

    private static Task<JsonDocument> ReadDocumentAsync(HttpContext context) =>
        ApiJson.ReadDocumentAsync(context, MaxBodyBytes, BodyLimit, anyContentType: true);

    private static async Task<T?> ReadBodyAsync<T>(HttpContext context)
    {
        var body = await ApiJson.ReadAsync(context, MaxBodyBytes, BodyLimit);
        try
        {
            return body.Deserialize<T>(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }
        catch (JsonException ex)
        {
            throw new BadRequestException($"the body is not valid: {ex.Message}");
        }
    }

    /// <summary>Who this master and the leader are (from the silos' own names, never the request) and the settings shown.</summary>
    internal static MesosStateJson.Context StateContext(HttpContext context)
    {
        var services = context.RequestServices;
        var leader = services.GetRequiredService<ClusterLeader>();
        var current = leader.Current;
        return new MesosStateJson.Context(
            MesosMaster.Self(leader),
            current is null ? null : MesosMaster.Of(current.Name, current.SiloAddress),
            services.GetRequiredService<SiloUptime>().Started,
            current is null ? null : ClusterLeader.StartTime(current),
            services.GetRequiredService<IOptions<MasterOptions>>().Value,
            services.GetService<IOptions<SiloOptions>>()?.Value.ClusterId ?? "dcos",
            InfoEndpoints.ProductVersion);
    }

    internal static JsonObject MetricsJson(MasterView view, bool elected, SiloUptime uptime, TaskStateCounters counters)
    {
        var metrics = new JsonObject
        {
            ["master/elected"] = elected ? 1 : 0,
            ["master/uptime_secs"] = uptime.Elapsed.TotalSeconds,
            ["master/slaves_active"] = view.Agents.Count(a => a.Status == AgentStatus.Active && a.Connected),
            ["master/slaves_connected"] = view.Agents.Count(a => a.Connected),
            ["master/slaves_disconnected"] = view.Agents.Count(a => !a.Connected && a.Status != AgentStatus.Gone),
            ["master/slaves_unreachable"] = view.Agents.Count(a => a.Status == AgentStatus.Unreachable),
            ["master/slaves_inactive"] = view.Agents.Count(a => a.Status.IsDeactivated()),
            ["master/frameworks_active"] = view.Frameworks.Count(f => f.Active),
            ["master/frameworks_connected"] = view.Frameworks.Count(f => f.Connected),
            ["master/frameworks_disconnected"] = view.Frameworks.Count(f => !f.Connected && !f.Removed),
            ["master/outstanding_offers"] = view.Allocation.Offers.Count,
        };
        // Mesos: tasks in a live state are gauges (how many are in it now); ended states are counters (how many got there).
        var live = view.Tasks.CountBy(t => t.Task.State).ToDictionary(); // every task once, not once per state
        foreach (var state in Enum.GetValues<TaskState>())
        {
            metrics[$"master/tasks_{state.ToString()["TASK_".Length..].ToLowerInvariant()}"] = state.IsTerminal()
                ? counters.Count(state)
                : live.GetValueOrDefault(state);
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

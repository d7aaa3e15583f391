using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Silo.Api;
using OrleansDcos.Silo.Hosting;
using static OrleansDcos.Mesos.MesosJsonReader;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// Mesos' v1 operator API, <c>POST /api/v1</c> with a JSON <c>Call</c> (<c>{"type": "GET_STATE"}</c>, or with its
/// body: <c>{"type": "DRAIN_AGENT", "drain_agent": {"agent_id": {"value": "…"}}}</c>), answered in Mesos' JSON: the
/// GET_* calls with <c>{type, get_x}</c>, the others with 200 and no body. Calls: GET_HEALTH, GET_VERSION, GET_FLAGS,
/// GET_METRICS, GET_STATE, GET_AGENTS, GET_FRAMEWORKS, GET_EXECUTORS, GET_TASKS, GET_ROLES, GET_WEIGHTS,
/// UPDATE_WEIGHTS, GET_QUOTA, UPDATE_QUOTA, GET_MAINTENANCE_STATUS, DRAIN_AGENT, DEACTIVATE_AGENT, REACTIVATE_AGENT,
/// MARK_AGENT_GONE, TEARDOWN, and SUBSCRIBE (<see cref="OperatorSubscription"/>). A malformed call is 400 naming the field; an unknown agent or framework 404.
/// </summary>
public static class OperatorEndpoint
{
    /// <summary>The largest call body read.</summary>
    public const long MaxCallBytes = 1024 * 1024;

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapOperatorApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1", (HttpContext context, IGrainFactory grains, IOptions<MasterOptions> options) => ApiResults.Guard(async () =>
        {
            var call = JsonSerializer.SerializeToElement(await ApiJson.ReadAsync(context, MaxCallBytes, "1 MiB"));
            if (call.ValueKind != JsonValueKind.Object)
            {
                throw new BadRequestException("call must be an object with a type");
            }

            var type = String(call, "type", "call");
            if (Security.RouteRules.OperatorCall(type) is { } need)
            {
                Security.Access.Of(context).Demand(need.Resource, need.Action);
            }

            return type switch
            {
                "GET_HEALTH" => Json(MesosOperatorJson.Health()),
                "GET_VERSION" => Json(MesosOperatorJson.Version(MasterEndpoints.StateContext(context))),
                "GET_FLAGS" => Json(MesosOperatorJson.Flags(MasterEndpoints.StateContext(context))),
                "GET_METRICS" => Json(MesosOperatorJson.Metrics(await MetricsAsync(context, grains))),
                "GET_STATE" => Json(MesosOperatorJson.State(await MasterView.ReadAsync(grains), options.Value)),
                "GET_AGENTS" => Json(MesosOperatorJson.Agents(await MasterView.ReadAsync(grains))),
                "GET_FRAMEWORKS" => Json(MesosOperatorJson.Frameworks(await MasterView.ReadAsync(grains))),
                "GET_EXECUTORS" => Json(MesosOperatorJson.Executors()),
                "GET_TASKS" => Json(MesosOperatorJson.Tasks(await MasterView.ReadAsync(grains), options.Value)),
                "GET_ROLES" => Json(MesosOperatorJson.Roles(await MasterView.ReadAsync(grains), await Allocator(grains).GetWeights(), await Allocator(grains).GetQuotas())),
                "GET_WEIGHTS" => Json(MesosOperatorJson.Weights(await Allocator(grains).GetWeights())),
                "GET_QUOTA" => Json(MesosOperatorJson.Quota(await Allocator(grains).GetQuotas())),
                "GET_MAINTENANCE_STATUS" => Json(MesosOperatorJson.MaintenanceStatus(await MasterView.ReadAsync(grains))),
                "UPDATE_WEIGHTS" => await UpdateWeightsAsync(call, grains),
                "UPDATE_QUOTA" => await UpdateQuotaAsync(call, grains),
                "DRAIN_AGENT" => await DrainAsync(call, grains),
                "DEACTIVATE_AGENT" => await OnAgentAsync(call, "deactivate_agent", grains, agent => agent.Deactivate()),
                "REACTIVATE_AGENT" => await OnAgentAsync(call, "reactivate_agent", grains, agent => agent.Reactivate()),
                "MARK_AGENT_GONE" => await OnAgentAsync(call, "mark_agent_gone", grains, agent => agent.Remove()),
                "TEARDOWN" => await TeardownAsync(call, grains),
                "RESERVE_RESOURCES" or "UNRESERVE_RESOURCES" or "CREATE_VOLUMES" or "DESTROY_VOLUMES" => await ReservationEndpoints.CallAsync(call, type, grains),
                "SUBSCRIBE" => await SubscribeAsync(context, grains, options.Value),
                _ => throw new BadRequestException($"call.type {type} is not supported (GET_HEALTH, GET_VERSION, GET_FLAGS, GET_METRICS, GET_STATE, GET_AGENTS, " +
                    "GET_FRAMEWORKS, GET_EXECUTORS, GET_TASKS, GET_ROLES, GET_WEIGHTS, UPDATE_WEIGHTS, GET_QUOTA, UPDATE_QUOTA, GET_MAINTENANCE_STATUS, " +
                    "DRAIN_AGENT, DEACTIVATE_AGENT, REACTIVATE_AGENT, MARK_AGENT_GONE, TEARDOWN, RESERVE_RESOURCES, UNRESERVE_RESOURCES, CREATE_VOLUMES, DESTROY_VOLUMES, SUBSCRIBE are)"),
            };
        }));
        return endpoints;
    }

    private static async Task<JsonObject> MetricsAsync(HttpContext context, IGrainFactory grains)
    {
        var services = context.RequestServices;
        return MasterEndpoints.MetricsJson(await MasterView.ReadAsync(grains), services.GetRequiredService<ClusterLeader>().IsSelf,
            services.GetRequiredService<SiloUptime>(), services.GetRequiredService<TaskStateCounters>());
    }

    private static async Task<IResult> UpdateWeightsAsync(JsonElement call, IGrainFactory grains)
    {
        var body = Required(call, "update_weights", "call");
        var weights = Array(body, "weight_infos", "call.update_weights")
            .Select((w, i) => new RoleWeight(String(w, "role", $"call.update_weights.weight_infos[{i}]"), Number(w, "weight", $"call.update_weights.weight_infos[{i}]")))
            .ToList();
        await Allocator(grains).SetWeights(weights);
        return Results.Ok();
    }

    private static async Task<IResult> UpdateQuotaAsync(JsonElement call, IGrainFactory grains)
    {
        var body = Required(call, "update_quota", "call");
        var configs = Array(body, "quota_configs", "call.update_quota");
        var quotas = configs.Select((c, i) =>
        {
            var path = $"call.update_quota.quota_configs[{i}]";
            return new RoleQuotaInfo(String(c, "role", path), Quantities(c, "guarantees", path), Quantities(c, "limits", path));
        }).ToList();
        foreach (var quota in quotas)
        {
            await Allocator(grains).SetQuota(quota);
        }

        return Results.Ok();
    }

    /// <summary>Quota quantities <c>{"cpus": {"value": 1}}</c> as resources.</summary>
    private static Resources Quantities(JsonElement config, string name, string path)
    {
        if (Optional(config, name, path) is not { } map)
        {
            return Resources.Empty;
        }

        if (map.ValueKind != JsonValueKind.Object)
        {
            throw new MesosJsonException($"{path}.{name} must be an object of resource names");
        }

        var parts = map.EnumerateObject().Select(p =>
        {
            if (p.Name.Length == 0 || p.Name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.')))
            {
                throw new MesosJsonException($"{path}.{name}: '{p.Name}' is not a resource name");
            }

            var value = Number(p.Value, "value", $"{path}.{name}.{p.Name}");
            return string.Create(CultureInfo.InvariantCulture, $"{p.Name}:{value}");
        });
        try
        {
            return Resources.Parse(string.Join(';', parts));
        }
        catch (Exception ex) when (ex is ResourceParseException or ArgumentException)
        {
            throw new MesosJsonException($"{path}.{name}: {ex.Message}");
        }
    }

    private static async Task<IResult> DrainAsync(JsonElement call, IGrainFactory grains)
    {
        var body = Required(call, "drain_agent", "call");
        var markGone = OptionalBool(body, "mark_gone", "call.drain_agent") == true;
        var grace = Optional(body, "max_grace_period", "call.drain_agent") is { } period
            ? MesosDurations.FromNanoseconds(OptionalNumber(period, "nanoseconds", "call.drain_agent.max_grace_period") ?? 0)
            : null;
        return await OnAgentAsync(call, "drain_agent", grains, agent => agent.Drain(grace, markGone));
    }

    private static async Task<IResult> OnAgentAsync(JsonElement call, string field, IGrainFactory grains, Func<IAgentGrain, Task> act)
    {
        var agentId = Id(Required(call, field, "call"), "agent_id", $"call.{field}");
        var agent = grains.GetGrain<IAgentGrain>(agentId);
        if ((await agent.GetSnapshot()).Status == AgentStatus.Unknown)
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, $"agent '{agentId}' is not known");
        }

        await act(agent);
        return Results.Ok();
    }

    private static async Task<IResult> TeardownAsync(JsonElement call, IGrainFactory grains)
    {
        var frameworkId = Id(Required(call, "teardown", "call"), "framework_id", "call.teardown");
        var framework = grains.GetGrain<IFrameworkGrain>(frameworkId);
        if ((await framework.GetSnapshot()).Info.Name.Length == 0)
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, $"framework '{frameworkId}' is not known");
        }

        await framework.Remove();
        return Results.Ok();
    }

    private static async Task<IResult> SubscribeAsync(HttpContext context, IGrainFactory grains, MasterOptions options)
    {
        await OperatorSubscription.RunAsync(context, grains, options);
        return Results.Empty;
    }

    private static IAllocatorGrain Allocator(IGrainFactory grains) => grains.GetGrain<IAllocatorGrain>(MasterKeys.Allocator);

    private static IResult Json(JsonObject json) => Results.Text(json.ToJsonString(), "application/json");
}

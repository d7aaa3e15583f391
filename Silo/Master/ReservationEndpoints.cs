using System.Text.Json;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Silo.Api;
using static OrleansDcos.Mesos.MesosJsonReader;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// Operator reservations and volumes as Mesos serves them: <c>POST /master/reserve</c> and <c>/master/unreserve</c>
/// (form fields <c>slaveId</c> and <c>resources</c>, a JSON array of resources), <c>/master/create-volumes</c> and
/// <c>/master/destroy-volumes</c> (<c>slaveId</c>, <c>volumes</c>), and the v1 calls RESERVE_RESOURCES,
/// UNRESERVE_RESOURCES, CREATE_VOLUMES, DESTROY_VOLUMES. 202 when done, 400 for a malformed request, 404 for an unknown
/// agent, 409 when the agent's unallocated resources do not allow it (as Mesos answers).
/// </summary>
public static class ReservationEndpoints
{
    /// <summary>Most resources one call may name.</summary>
    public const int MaxResources = 1000;

    /// <summary>The v1 operator calls this serves, with the field of each call's body and its list.</summary>
    public static readonly IReadOnlyDictionary<string, (string Type, string Field, string List)> Calls = new Dictionary<string, (string, string, string)>
    {
        ["RESERVE_RESOURCES"] = (OfferOperationTypes.Reserve, "reserve_resources", "resources"),
        ["UNRESERVE_RESOURCES"] = (OfferOperationTypes.Unreserve, "unreserve_resources", "resources"),
        ["CREATE_VOLUMES"] = (OfferOperationTypes.Create, "create_volumes", "volumes"),
        ["DESTROY_VOLUMES"] = (OfferOperationTypes.Destroy, "destroy_volumes", "volumes"),
    };

    /// <summary>Maps the four form endpoints.</summary>
    public static IEndpointRouteBuilder MapReservationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        foreach (var (path, type, field) in new[]
        {
            ("/master/reserve", OfferOperationTypes.Reserve, "resources"),
            ("/master/unreserve", OfferOperationTypes.Unreserve, "resources"),
            ("/master/create-volumes", OfferOperationTypes.Create, "volumes"),
            ("/master/destroy-volumes", OfferOperationTypes.Destroy, "volumes"),
        })
        {
            endpoints.MapPost(path, (HttpContext context, IGrainFactory grains) => ApiResults.Guard(async () =>
            {
                if (!context.Request.HasFormContentType)
                {
                    throw new BadRequestException($"{path} takes a form (application/x-www-form-urlencoded) with slaveId and {field}");
                }

                var form = await RequestForms.ReadAsync(context.Request);
                var agentId = form["slaveId"].ToString();
                var json = form[field].ToString();
                if (agentId.Length == 0 || json.Length == 0)
                {
                    throw new BadRequestException($"slaveId and {field} are required");
                }

                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(json);
                }
                catch (JsonException ex)
                {
                    throw new BadRequestException($"{field} is not JSON: {ex.Message}");
                }

                using (document)
                {
                    if (document.RootElement.ValueKind != JsonValueKind.Array)
                    {
                        throw new BadRequestException($"{field} must be a JSON array of resources");
                    }

                    return await ApplyAsync(grains, agentId, type, [.. document.RootElement.EnumerateArray()], field);
                }
            }));
        }

        return endpoints;
    }

    /// <summary>A v1 operator call of <see cref="Calls"/>.</summary>
    public static Task<IResult> CallAsync(JsonElement call, string callType, IGrainFactory grains)
    {
        var (type, field, list) = Calls[callType];
        var body = Required(call, field, "call");
        return ApplyAsync(grains, Id(body, "agent_id", $"call.{field}"), type, Array(body, list, $"call.{field}"), $"call.{field}.{list}");
    }

    private static async Task<IResult> ApplyAsync(IGrainFactory grains, string agentId, string type, IReadOnlyList<JsonElement> items, string path)
    {
        if (items.Count is 0 or > MaxResources)
        {
            throw new BadRequestException($"{path} must name 1 to {MaxResources} resources (names {items.Count})");
        }

        var operation = new ResourceOperation(type, MesosResourceJson.FromJson(items, path));
        if (operation.Problem() is { } problem)
        {
            throw new BadRequestException(problem);
        }

        var agent = grains.GetGrain<IAgentGrain>(agentId);
        if (MesosIds.Problem(agentId, "slaveId") is { } badId)
        {
            throw new BadRequestException(badId);
        }

        if ((await agent.GetSnapshot()).Status == AgentStatus.Unknown)
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, $"agent '{agentId}' is not known");
        }

        try
        {
            await agent.Operate([OfferOperation.Conversion(type, operation.Resources)]);
        }
        catch (MasterValidationException ex)
        {
            return ApiResults.Error(StatusCodes.Status409Conflict, ex.Message);
        }

        return Results.Accepted();
    }
}

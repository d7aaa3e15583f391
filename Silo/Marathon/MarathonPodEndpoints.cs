using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Marathon.Validation;
using OrleansDcos.Silo.Security;
using static OrleansDcos.Silo.Marathon.MarathonEndpoints;

namespace OrleansDcos.Silo.Marathon;

/// <summary>
/// Marathon's pods API: <c>/v2/pods</c> (create, list), <c>/v2/pods/::status</c>, <c>/v2/pods/{id}</c> (show, update,
/// delete), <c>{id}::status</c>, <c>{id}::versions</c>, <c>{id}::versions/{version}</c>, <c>{id}::instances/{instance}</c>
/// and <c>{id}::instances</c> (kill). A pod is deployed and kept as the apps are (deployments, versions, backoff,
/// unreachable strategy); its instances are task groups.
/// </summary>
internal static class MarathonPodEndpoints
{
    private const string DeploymentHeader = "Marathon-Deployment-Id";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapMarathonPods(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v2/pods", (HttpContext context, IGrainFactory grains, IOptions<MarathonOptions> options) => Guard(async () =>
        {
            var pod = AppReader.ReadPod(await ReadJsonAsync(context, options.Value), options.Value.Roles, options.Value.Limits());
            if ((await grains.GetGrain<IAppGrain>(pod.Id).GetDefinition()) is { } existing)
            {
                throw new MarathonConflictException($"{(existing.Pod is null ? "An app" : "A pod")} with id [{pod.Id}] already exists.");
            }

            AppChange[] changes = [new AppChange(pod.Id, pod, Create: true)];
            MarathonAccess.DemandChanges(context, changes);
            var result = await Root(grains).Deploy(changes, Force(context));
            context.Response.Headers[DeploymentHeader] = result.DeploymentId;
            context.Response.Headers.Location = $"/v2/pods{pod.Id}";
            return Results.Json(PodJson.Pod(await grains.GetGrain<IAppGrain>(pod.Id).GetDefinition() ?? pod), statusCode: StatusCodes.Status201Created);
        }));
        endpoints.MapGet("/v2/pods", (HttpContext context, IGrainFactory grains) => Guard(async () =>
            Results.Json(new JsonArray([.. (await PodsAsync(grains)).Where(p => Access.Of(context).ReadsApp(p.Id)).Select(p => (JsonNode)PodJson.Pod(p))]))));
        endpoints.MapGet("/v2/pods/{**path}", (string path, HttpContext context, IGrainFactory grains, TimeProvider time) => Guard(() => GetAsync(path, Access.Of(context), grains, time)));
        endpoints.MapPut("/v2/pods/{**path}", (string path, HttpContext context, IGrainFactory grains, IOptions<MarathonOptions> options) => Guard(async () =>
        {
            var id = AppPath(path);
            var body = await ReadJsonAsync(context, options.Value);
            if (body is JsonObject json && json["id"] is null)
            {
                json["id"] = id;
            }

            var pod = AppReader.ReadPod(body, options.Value.Roles, options.Value.Limits());
            if (pod.Id != id)
            {
                throw MarathonValidationException.Of("/id", $"the id in the body ({pod.Id}) is not the id in the path ({id})");
            }

            var existing = await grains.GetGrain<IAppGrain>(id).GetDefinition();
            if (existing is { Pod: null })
            {
                throw new MarathonConflictException($"An app with id [{id}] already exists.");
            }

            AppChange[] changes = [new AppChange(id, pod, Create: existing is null)];
            MarathonAccess.DemandChanges(context, changes);
            var result = await Root(grains).Deploy(changes, Force(context));
            context.Response.Headers[DeploymentHeader] = result.DeploymentId;
            return Results.Json(PodJson.Pod(await grains.GetGrain<IAppGrain>(id).GetDefinition() ?? pod), statusCode: existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }));
        endpoints.MapDelete("/v2/pods/{**path}", (string path, HttpContext context, IGrainFactory grains, IOptions<MarathonOptions> options) => Guard(async () =>
        {
            var at = path.IndexOf("::instances", StringComparison.Ordinal);
            if (at > 0)
            {
                var podId = AppPath(path[..at]);
                var status = await RequirePodAsync(grains, podId);
                var rest = path[(at + "::instances".Length)..].TrimStart('/');
                IReadOnlyList<string> ids = rest.Length > 0 ? [rest]
                    : (await ReadJsonAsync(context, options.Value) as JsonArray ?? throw MarathonValidationException.Of("/", "expected an array of instance ids"))
                        .Select(n => n?.GetValue<string>() ?? "").ToList();
                var unknown = ids.FirstOrDefault(i => status.Instances.All(x => x.TaskId != i));
                if (unknown is not null)
                {
                    throw new MarathonNotFoundException($"Instance '{unknown}' of pod '{podId}' does not exist");
                }

                var killed = await grains.GetGrain<IAppGrain>(podId).KillInstances(ids, scale: false);
                var json = killed.Select(k => (JsonNode)PodJson.Instance(status.Definition!, k)).ToList();
                return rest.Length > 0 ? Results.Json(json.FirstOrDefault()) : Results.Json(new JsonArray([.. json]));
            }

            var id = AppPath(path);
            await RequirePodAsync(grains, id);
            var result = await Root(grains).Deploy([new AppChange(id, null)], Force(context));
            context.Response.Headers[DeploymentHeader] = result.DeploymentId;
            return Results.StatusCode(StatusCodes.Status202Accepted);
        }));
        return endpoints;
    }

    private static async Task<IResult> GetAsync(string path, Access access, IGrainFactory grains, TimeProvider time)
    {
        if (path == "::status")
        {
            var deploying = DeploymentsByApp(await Root(grains).ListDeployments());
            var statuses = await Task.WhenAll((await PodsAsync(grains)).Where(p => access.ReadsApp(p.Id)).Select(p => grains.GetGrain<IAppGrain>(p.Id).GetStatus()));
            return Results.Json(new JsonArray([.. statuses.Where(s => s.Definition?.Pod is not null)
                .Select(s => (JsonNode)PodJson.Status(s, deploying[s.Definition!.Id].Any(), time.GetUtcNow()))]));
        }

        if (path.EndsWith("::status", StringComparison.Ordinal))
        {
            var id = AppPath(path[..^"::status".Length]);
            var status = await RequirePodAsync(grains, id);
            var deploying = DeploymentsByApp(await Root(grains).ListDeployments())[id].Any();
            return Results.Json(PodJson.Status(status, deploying, time.GetUtcNow()));
        }

        var versionsAt = path.IndexOf("::versions", StringComparison.Ordinal);
        if (versionsAt > 0)
        {
            var id = AppPath(path[..versionsAt]);
            await RequirePodAsync(grains, id);
            var version = path[(versionsAt + "::versions".Length)..].TrimStart('/');
            if (version.Length == 0)
            {
                return Results.Json(await grains.GetGrain<IAppGrain>(id).GetVersions());
            }

            var at = await grains.GetGrain<IAppGrain>(id).GetVersion(version) ?? throw new MarathonNotFoundException($"Pod '{id}' does not exist in version {version}");
            return Results.Json(PodJson.Pod(at));
        }

        return Results.Json(PodJson.Pod((await RequirePodAsync(grains, AppPath(path))).Definition!));
    }

    private static async Task<IReadOnlyList<AppDefinition>> PodsAsync(IGrainFactory grains) =>
        [.. (await Root(grains).ListApps()).Where(a => a.Pod is not null).OrderBy(a => a.Id, StringComparer.Ordinal)];

    private static async Task<AppStatus> RequirePodAsync(IGrainFactory grains, string id)
    {
        var status = await grains.GetGrain<IAppGrain>(id).GetStatus();
        return status.Definition?.Pod is null ? throw new MarathonNotFoundException($"Pod '{id}' does not exist") : status;
    }
}

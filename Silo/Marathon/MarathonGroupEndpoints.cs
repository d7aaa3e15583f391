using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Marathon.Validation;
using OrleansDcos.Scheduling.Security;
using OrleansDcos.Silo.Security;
using static OrleansDcos.Scheduling.Deployment.MarathonPaths;
using static OrleansDcos.Silo.Marathon.MarathonEndpoints;

namespace OrleansDcos.Silo.Marathon;

/// <summary>
/// <c>/v2/groups</c>: a group exists once created (POST or PUT of it, even empty) or while an app lives under it. GET shows the
/// tree with each group's dependencies, <c>/versions</c> a group's versions; POST creates a group's apps, PUT makes a
/// group exactly its body (apps under it that the body leaves out are removed, its groups' dependencies replaced;
/// <c>?dryRun=true</c> answers the plan without deploying), DELETE removes every app under it, dependents first. A
/// group's dependencies hold for every app under it.
/// </summary>
public static class MarathonGroupEndpoints
{
    /// <summary>Maps the group endpoints.</summary>
    public static IEndpointRouteBuilder MapMarathonGroups(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v2/groups", (HttpContext context, IGrainFactory grains) => Guard(() => GetAsync(Access.Of(context), grains, "/", Embeds(context))));
        endpoints.MapGet("/v2/groups/{**path}", (string path, HttpContext context, IGrainFactory grains) => Guard(() => GetAsync(Access.Of(context), grains, AppPath(path), Embeds(context))));
        endpoints.MapPost("/v2/groups", (HttpContext context, IGrainFactory grains, IOptions<MarathonOptions> options) => Guard(async () =>
        {
            var group = GroupReader.Read(await ReadJsonAsync(context, options.Value), null, options.Value.Roles, options.Value.Limits());
            if (await ExistsAsync(grains, group.GroupId))
            {
                throw new MarathonConflictException($"Group {group.GroupId} is already created. Use PUT to change this group.");
            }

            var changes = group.Apps.Select(a => new AppChange(a.Id, a)).ToList();
            Access.Of(context).Demand(Access.MarathonApp(group.GroupId), PermissionActions.Create);
            MarathonAccess.DemandChanges(context, changes, creating: true);
            var result = await Root(grains).Deploy(changes, Force(context),
                new GroupUpdate(group.GroupId, group.Groups, group.Dependencies));
            context.Response.Headers.Location = $"/v2/groups{group.GroupId}";
            return Changed(context, result, StatusCodes.Status201Created);
        }));
        endpoints.MapPut("/v2/groups/{**path}", (string path, HttpContext context, IGrainFactory grains, IOptions<MarathonOptions> options) =>
            Guard(() => ReplaceAsync(AppPath(path), context, grains, options.Value)));
        endpoints.MapPut("/v2/groups", (HttpContext context, IGrainFactory grains, IOptions<MarathonOptions> options) =>
            Guard(() => ReplaceAsync("/", context, grains, options.Value)));
        endpoints.MapDelete("/v2/groups/{**path}", (string path, HttpContext context, IGrainFactory grains) => Guard(async () =>
        {
            var groupId = AppPath(path);
            if (!await ExistsAsync(grains, groupId))
            {
                throw new MarathonNotFoundException($"Group '{groupId}' does not exist");
            }

            var doomed = (await Root(grains).ListApps()).Where(a => Under(a.Id, groupId)).ToList();
            return Changed(context, await Root(grains).Deploy(doomed.Select(a => new AppChange(a.Id, null)).ToList(), Force(context),
                new GroupUpdate(groupId, [], new Dictionary<string, IReadOnlyList<string>>())));
        }));
        return endpoints;
    }

    private static async Task<IResult> GetAsync(Access access, IGrainFactory grains, string path, ISet<string> embed)
    {
        var versionsOf = path == "/versions" ? "/" : path.EndsWith("/versions", StringComparison.Ordinal) ? path[..^"/versions".Length] : null;
        var groupId = versionsOf ?? path;
        var apps = (await Root(grains).ListApps()).Where(a => Under(a.Id, groupId)).ToList();
        var groups = await Root(grains).GetGroups();
        var explicitGroups = groups.Groups.Where(g => Under(g, groupId)).ToList();
        if (apps.Count == 0 && groupId != "/" && !groups.Groups.Contains(groupId))
        {
            throw new MarathonNotFoundException($"Group '{groupId}' does not exist");
        }

        if (versionsOf is not null)
        {
            access.Demand(Access.MarathonApp(groupId), PermissionActions.Read);
            return Results.Json(groups.Versions.GetValueOrDefault(groupId) ?? []);
        }

        // Only what the caller may read: its apps, and the groups it may read or that hold such an app.
        apps = [.. apps.Where(a => access.ReadsApp(a.Id))];
        explicitGroups = [.. explicitGroups.Where(g => access.ReadsApp(g) || apps.Any(a => Under(a.Id, g)))];
        if (groupId != "/" && apps.Count == 0 && explicitGroups.Count == 0)
        {
            access.Demand(Access.MarathonApp(groupId), PermissionActions.Read);
        }

        var shown = await AppNodesAsync(grains, apps, embed);
        return Results.Json(Tree(groupId, apps, explicitGroups, groups, shown));
    }

    /// <summary>
    /// Each app's JSON with what the <c>group.apps.*</c> embeds ask for (the UI's service list asks for all of them):
    /// counts, deployments, tasks, last failure — as <c>/v2/apps</c> shows them.
    /// </summary>
    private static async Task<Dictionary<string, JsonObject>> AppNodesAsync(IGrainFactory grains, IReadOnlyList<AppDefinition> apps, ISet<string> embed)
    {
        var counts = embed.Contains("group.apps.counts");
        var deployments = embed.Contains("group.apps.deployments");
        var tasks = embed.Contains("group.apps.tasks");
        var lastFailure = embed.Contains("group.apps.lastTaskFailure");
        var views = counts ? (await Root(grains).ListAppViews()).Where(v => v.Definition is not null).ToDictionary(v => v.Definition!.Id, StringComparer.Ordinal) : null;
        var byApp = deployments ? DeploymentsByApp(await Root(grains).ListDeployments()) : null;
        var statuses = tasks || lastFailure
            ? (await Task.WhenAll(apps.Select(a => grains.GetGrain<IAppGrain>(a.Id).GetStatus()))).Where(s => s.Definition is not null).ToDictionary(s => s.Definition!.Id, StringComparer.Ordinal)
            : null;
        var nodes = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var app in apps)
        {
            var node = JsonSerializer.SerializeToNode(app)!.AsObject();
            var status = statuses?.GetValueOrDefault(app.Id);
            if (counts)
            {
                var c = views!.GetValueOrDefault(app.Id)?.Counts ?? (status is null ? new AppCounts(0, 0, 0, 0) : AppCounts.Of(app, status.Instances));
                node["tasksStaged"] = c.Staged;
                node["tasksRunning"] = c.Running;
                node["tasksHealthy"] = c.Healthy;
                node["tasksUnhealthy"] = c.Unhealthy;
            }

            if (deployments)
            {
                node["deployments"] = new JsonArray([.. byApp![app.Id].Select(id => (JsonNode)new JsonObject { ["id"] = id })]);
            }

            if (tasks)
            {
                node["tasks"] = JsonSerializer.SerializeToNode((status?.Instances ?? []).Select(MarathonJson.Task));
            }

            if (lastFailure && status?.LastTaskFailure is { } failure)
            {
                node["lastTaskFailure"] = JsonSerializer.SerializeToNode(failure);
            }

            nodes[app.Id] = node;
        }

        return nodes;
    }

    /// <summary>True when the group was created or holds an app.</summary>
    private static async Task<bool> ExistsAsync(IGrainFactory grains, string groupId) =>
        (await Root(grains).GetGroups()).Groups.Contains(groupId) || (await Root(grains).ListApps()).Any(a => Under(a.Id, groupId));

    private static async Task<IResult> ReplaceAsync(string groupId, HttpContext context, IGrainFactory grains, MarathonOptions options)
    {
        var body = await ReadJsonAsync(context, options);
        if (body is JsonObject scale && scale.ContainsKey("scaleBy"))
        {
            return await ScaleAsync(groupId, scale, context, grains, options);
        }

        var group = GroupReader.Read(body, groupId, options.Roles, options.Limits());
        var current = await Root(grains).ListApps();
        var wanted = group.Apps.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var changes = group.Apps.Select(a => new AppChange(a.Id, a))
            .Concat(current.Where(a => Under(a.Id, group.GroupId) && !wanted.ContainsKey(a.Id)).Select(a => new AppChange(a.Id, null)))
            .ToList();
        var update = new GroupUpdate(group.GroupId, group.Groups, group.Dependencies);
        Access.Of(context).Demand(Access.MarathonApp(group.GroupId), PermissionActions.Update);
        MarathonAccess.DemandChanges(context, changes);
        if (Flag(context, "dryRun"))
        {
            return Results.Json(new { steps = await Root(grains).DryRun(changes, update) });
        }

        var result = await Root(grains).Deploy(changes, Force(context), update);
        return Changed(context, result);
    }

    /// <summary>
    /// <c>PUT /v2/groups/{id}</c> with <c>{"scaleBy": f}</c>: every app under the group runs ceil(instances × f), in one
    /// deployment (Marathon's GroupUpdate.scaleBy; nothing else in the body is taken with it).
    /// </summary>
    private static async Task<IResult> ScaleAsync(string groupId, JsonObject update, HttpContext context, IGrainFactory grains, MarathonOptions options)
    {
        if (update.Any(p => p.Key is not ("scaleBy" or "id")))
        {
            throw MarathonValidationException.Of("/scaleBy", "scaleBy scales the group's apps and takes no other change with it");
        }

        if (update["scaleBy"] is not JsonValue value || !value.TryGetValue<double>(out var factor) || !double.IsFinite(factor) || factor <= 0)
        {
            throw MarathonValidationException.Of("/scaleBy", "must be a number greater than 0");
        }

        if (!await ExistsAsync(grains, groupId))
        {
            throw new MarathonNotFoundException($"Group '{groupId}' does not exist");
        }

        var changes = new List<AppChange>();
        foreach (var app in (await Root(grains).ListApps()).Where(a => Under(a.Id, groupId)))
        {
            var instances = Math.Ceiling(app.Instances * factor);
            if (instances > options.MaxInstancesPerApp)
            {
                throw MarathonValidationException.Of("/scaleBy",
                    $"app {app.Id} would run {instances} instances; the limit is {options.MaxInstancesPerApp} (Marathon:MaxInstancesPerApp)");
            }

            changes.Add(new AppChange(app.Id, app with { Instances = (int)instances }));
        }

        MarathonAccess.DemandChanges(context, changes);
        return Changed(context, await Root(grains).Deploy(changes, Force(context)));
    }

    /// <summary>
    /// The group <paramref name="groupId"/> as Marathon shows it: its apps, its subgroups (those apps live in and those
    /// created explicitly, recursively), its dependencies and version.
    /// </summary>
    private static JsonObject Tree(string groupId, IReadOnlyList<AppDefinition> apps, IReadOnlyList<string> explicitGroups, GroupsInfo groups, Dictionary<string, JsonObject> shown)
    {
        var direct = apps.Where(a => ParentOf(a.Id) == groupId).ToList();
        var children = apps.Where(a => ParentOf(a.Id) != groupId).Select(a => a.Id)
            .Concat(explicitGroups)
            .Select(id => ChildGroup(groupId, id))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return new JsonObject
        {
            ["id"] = groupId,
            ["apps"] = new JsonArray([.. direct.Where(a => a.Pod is null).Select(a => (JsonNode)shown[a.Id])]),
            ["groups"] = new JsonArray(children.Select(c => (JsonNode)Tree(
                c,
                apps.Where(a => Under(a.Id, c)).ToList(),
                explicitGroups.Where(g => Under(g, c)).ToList(),
                groups,
                shown)).ToArray()),
            ["pods"] = new JsonArray([.. direct.Where(a => a.Pod is not null).Select(a => (JsonNode)PodJson.Pod(a))]),
            ["dependencies"] = new JsonArray((groups.Dependencies.GetValueOrDefault(groupId) ?? []).Select(d => (JsonNode)d).ToArray()),
            ["version"] = groups.Versions.GetValueOrDefault(groupId)?.FirstOrDefault() ?? apps.Select(a => a.Version).Max(StringComparer.Ordinal),
        };
    }

    private static string ChildGroup(string groupId, string appId)
    {
        var rest = appId[(groupId == "/" ? 1 : groupId.Length + 1)..];
        var next = rest.Split('/')[0];
        return groupId == "/" ? "/" + next : $"{groupId}/{next}";
    }
}

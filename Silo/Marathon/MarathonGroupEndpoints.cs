using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Marathon.Validation;
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
        endpoints.MapGet("/v2/groups", (IGrainFactory grains) => Guard(() => GetAsync(grains, "/")));
        endpoints.MapGet("/v2/groups/{**path}", (string path, IGrainFactory grains) => Guard(() => GetAsync(grains, AppPath(path))));
        endpoints.MapPost("/v2/groups", (HttpContext context, IGrainFactory grains, IOptions<MarathonOptions> options) => Guard(async () =>
        {
            var group = GroupReader.Read(await ReadJsonAsync(context, options.Value), null, options.Value.Roles, options.Value.Limits());
            if (await ExistsAsync(grains, group.GroupId))
            {
                throw new MarathonConflictException($"Group {group.GroupId} is already created. Use PUT to change this group.");
            }

            var result = await Root(grains).Deploy(group.Apps.Select(a => new AppChange(a.Id, a)).ToList(), Force(context),
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

    private static async Task<IResult> GetAsync(IGrainFactory grains, string path)
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

        return versionsOf is not null
            ? Results.Json(groups.Versions.GetValueOrDefault(groupId) ?? [])
            : Results.Json(Tree(groupId, apps, explicitGroups, groups));
    }

    /// <summary>True when the group was created or holds an app.</summary>
    private static async Task<bool> ExistsAsync(IGrainFactory grains, string groupId) =>
        (await Root(grains).GetGroups()).Groups.Contains(groupId) || (await Root(grains).ListApps()).Any(a => Under(a.Id, groupId));

    private static async Task<IResult> ReplaceAsync(string groupId, HttpContext context, IGrainFactory grains, MarathonOptions options)
    {
        var group = GroupReader.Read(await ReadJsonAsync(context, options), groupId, options.Roles, options.Limits());
        var current = await Root(grains).ListApps();
        var wanted = group.Apps.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var changes = group.Apps.Select(a => new AppChange(a.Id, a))
            .Concat(current.Where(a => Under(a.Id, group.GroupId) && !wanted.ContainsKey(a.Id)).Select(a => new AppChange(a.Id, null)))
            .ToList();
        var update = new GroupUpdate(group.GroupId, group.Groups, group.Dependencies);
        if (Flag(context, "dryRun"))
        {
            return Results.Json(new { steps = await Root(grains).DryRun(changes, update) });
        }

        var result = await Root(grains).Deploy(changes, Force(context), update);
        return Changed(context, result);
    }

    /// <summary>
    /// The group <paramref name="groupId"/> as Marathon shows it: its apps, its subgroups (those apps live in and those
    /// created explicitly, recursively), its dependencies and version.
    /// </summary>
    private static JsonObject Tree(string groupId, IReadOnlyList<AppDefinition> apps, IReadOnlyList<string> explicitGroups, GroupsInfo groups)
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
            ["apps"] = new JsonArray(direct.Select(a => JsonSerializer.SerializeToNode(a)).ToArray()),
            ["groups"] = new JsonArray(children.Select(c => (JsonNode)Tree(
                c,
                apps.Where(a => Under(a.Id, c)).ToList(),
                explicitGroups.Where(g => Under(g, c)).ToList(),
                groups)).ToArray()),
            ["pods"] = new JsonArray(),
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

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansDcos.Grains;
using OrleansDcos.Grains.Interfaces.Api;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Marathon.Validation;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Deployment;
using OrleansDcos.Scheduling.Placement;
using OrleansDcos.Silo.Api;
using OrleansDcos.Silo.Hosting;
using OrleansDcos.Silo.Security;

namespace OrleansDcos.Silo.Marathon;

/// <summary>
/// Marathon's REST API v2 over the Marathon grains: apps (with bulk, versions, tasks, restart), tasks, deployments
/// and the launch queue. Every change answers <c>{deploymentId, version}</c> with a <c>Marathon-Deployment-Id</c>
/// header; bad definitions are 422 naming each field, malformed JSON 400, oversized bodies 413, locked apps 409.
/// </summary>
public static partial class MarathonEndpoints
{
    private const string DeploymentHeader = "Marathon-Deployment-Id";

    /// <summary>Maps <c>/v2/apps</c>, <c>/v2/tasks</c>, <c>/v2/deployments</c>, <c>/v2/queue</c>, <c>/v2/leader</c>, the event bus, groups and <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapMarathon(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v2/apps", (HttpContext context, IGrainFactory grains) => Guard(() => ListAppsAsync(context, grains)));
        endpoints.MapPost("/v2/apps", (HttpContext context, IGrainFactory grains, IOptions<MarathonOptions> options) =>
            Guard(() => CreateAsync(context, grains, options.Value)));
        endpoints.MapPut("/v2/apps", (HttpContext context, IGrainFactory grains, IOptions<MarathonOptions> options) =>
            Guard(() => BulkAsync(context, grains, options.Value, patch: PartialUpdate(context))));
        endpoints.MapMethods("/v2/apps", ["PATCH"], (HttpContext context, IGrainFactory grains, IOptions<MarathonOptions> options) =>
            Guard(() => BulkAsync(context, grains, options.Value, patch: true)));
        endpoints.MapGet("/v2/apps/{**path}", (string path, HttpContext context, IGrainFactory grains) => Guard(() => GetUnderAppAsync(path, context, grains)));
        endpoints.MapPut("/v2/apps/{**path}", (string path, HttpContext context, IGrainFactory grains, IOptions<MarathonOptions> options) =>
            Guard(() => UpdateAsync(AppPath(path), context, grains, options.Value, patch: PartialUpdate(context))));
        endpoints.MapMethods("/v2/apps/{**path}", ["PATCH"], (string path, HttpContext context, IGrainFactory grains, IOptions<MarathonOptions> options) =>
            Guard(() => UpdateAsync(AppPath(path), context, grains, options.Value, patch: true)));
        endpoints.MapDelete("/v2/apps/{**path}", (string path, HttpContext context, IGrainFactory grains) => Guard(() => DeleteUnderAppAsync(path, context, grains)));
        endpoints.MapPost("/v2/apps/{**path}", (string path, HttpContext context, IGrainFactory grains) => Guard(async () =>
        {
            if (!path.EndsWith("/restart", StringComparison.Ordinal))
            {
                return ApiResults.Error(StatusCodes.Status404NotFound, $"not found: POST /v2/apps/{path}");
            }

            var id = AppPath(path[..^"/restart".Length]);
            return Changed(context, await Root(grains).Restart(id, Force(context)));
        }));

        endpoints.MapGet("/v2/tasks", (HttpContext context, IGrainFactory grains) => Guard(() => ListTasksAsync(context, grains)));
        endpoints.MapPost("/v2/tasks/delete", (HttpContext context, IGrainFactory grains, IOptions<MarathonOptions> options) => Guard(async () =>
        {
            var body = await ReadJsonAsync(context, options.Value);
            if (body is not JsonObject { } json || json["ids"] is not JsonArray ids || ids.Any(i => i is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
            {
                throw MarathonValidationException.Of("/ids", "expected {\"ids\": [task ids]}");
            }

            var byApp = ids.Select(i => i!.GetValue<string>())
                .GroupBy(id => MarathonKeys.AppIdOf(id) ?? throw MarathonValidationException.Of("/ids", $"'{id}' is not a task id of Marathon"))
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.ToList(), StringComparer.Ordinal);
            MarathonAccess.DemandUpdates(context, byApp.Keys);
            if (Flag(context, "scale"))
            {
                return Changed(context, await Root(grains).KillAndScale(byApp, Force(context)));
            }

            var killed = await Task.WhenAll(byApp.Select(g => grains.GetGrain<IAppGrain>(g.Key).KillInstances(g.Value, scale: false)));
            return Results.Json(new { tasks = killed.SelectMany(k => k).Select(MarathonJson.Task) });
        }));

        endpoints.MapGet("/v2/deployments", (HttpContext context, IGrainFactory grains) => Guard(async () =>
        {
            var access = Access.Of(context);
            return Results.Json((await DeploymentsAsync(grains)).Where(d => d.AffectedApps.Any(access.ReadsApp)).ToList());
        }));
        endpoints.MapDelete("/v2/deployments/{id}", (string id, HttpContext context, IGrainFactory grains) => Guard(async () =>
        {
            if ((await Root(grains).ListDeployments()).FirstOrDefault(d => d.Id == id) is { } deployment)
            {
                MarathonAccess.DemandUpdates(context, deployment.AffectedApps);
            }

            var rollback = await Root(grains).CancelDeployment(id, Force(context));
            return rollback is null ? Results.Accepted() : Changed(context, rollback);
        }));

        endpoints.MapGet("/v2/queue", (HttpContext context, IGrainFactory grains, TimeProvider time) => Guard(() => QueueAsync(Access.Of(context), grains, time)));
        endpoints.MapDelete("/v2/queue/{**path}", (string path, IGrainFactory grains) => Guard(async () =>
        {
            if (!path.EndsWith("/delay", StringComparison.Ordinal))
            {
                return ApiResults.Error(StatusCodes.Status404NotFound, $"not found: DELETE /v2/queue/{path}");
            }

            var id = AppPath(path[..^"/delay".Length]);
            _ = await RequireAppAsync(grains, id);
            await grains.GetGrain<IAppGrain>(id).ResetDelay();
            return Results.NoContent();
        }));

        endpoints.MapGet("/v2/leader", (ClusterLeader leader) => leader.Address is { } address
            ? Results.Json(new { leader = address })
            : ApiResults.Error(StatusCodes.Status503ServiceUnavailable, "no silo is active: there is no leader right now"));
        endpoints.MapMarathonEvents();
        endpoints.MapMarathonGroups();
        endpoints.MapMarathonPods();
        endpoints.MapMarathonMetrics();
        return endpoints;
    }

    // ------------------------------------------------------------------ apps

    private static async Task<IResult> ListAppsAsync(HttpContext context, IGrainFactory grains, string? group = null)
    {
        var access = Access.Of(context);
        IEnumerable<AppView> views = (await Root(grains).ListAppViews()).Where(v => v.Definition is { Pod: null } && access.ReadsApp(v.Definition.Id)); // pods are at /v2/pods
        if (group is not null)
        {
            views = views.Where(v => Scheduling.Deployment.MarathonPaths.Under(v.Definition!.Id, group));
        }

        var query = context.Request.Query;
        if (query["id"].ToString() is { Length: > 0 } idFilter)
        {
            views = views.Where(v => v.Definition!.Id.Contains(idFilter, StringComparison.OrdinalIgnoreCase));
        }

        if (query["cmd"].ToString() is { Length: > 0 } cmdFilter)
        {
            views = views.Where(v => v.Definition!.Cmd?.Contains(cmdFilter, StringComparison.Ordinal) == true);
        }

        if (query["label"].ToString() is { Length: > 0 } labelFilter)
        {
            views = views.Where(v => LabelSelector(labelFilter, v.Definition!.Labels));
        }

        var apps = views.ToList();
        var embed = Embeds(context);
        var tasks = embed.Contains("apps.tasks");
        var lastFailure = embed.Contains("apps.lastTaskFailure");
        var taskStats = embed.Contains("apps.taskStats");
        var readiness = embed.Contains("apps.readiness");
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var deployments = DeploymentsByApp(await Root(grains).ListDeployments());

        // The root knows every app's counts; only embedded tasks, a last failure or counts it has not heard yet need the app.
        var statuses = await Task.WhenAll(apps.Select(async v => tasks || lastFailure || taskStats || v.Counts is null
            ? await grains.GetGrain<IAppGrain>(v.Definition!.Id).GetStatus()
            : null));
        var readinessOf = readiness ? await Task.WhenAll(apps.Select(v => grains.GetGrain<IAppGrain>(v.Definition!.Id).GetReadiness())) : null;
        var entries = new List<MarathonJson.AppEntry>(apps.Count);
        for (var i = 0; i < apps.Count; i++)
        {
            var definition = apps[i].Definition!;
            var status = statuses[i];
            entries.Add(new MarathonJson.AppEntry(
                definition,
                status is null ? apps[i].Counts! : AppCounts.Of(definition, status.Instances),
                deployments[definition.Id].ToList(),
                tasks ? status?.Instances : null,
                lastFailure ? status?.LastTaskFailure : null,
                taskStats && status is not null ? MarathonTaskStats.Of(definition, status.Instances, now) : null,
                readinessOf?[i]));
        }

        // GET /v2/apps/{group}/* answers Marathon's {"*": [...]}: the apps under the group.
        return MarathonJson.Apps(entries, group is null ? "apps" : "*");
    }

    /// <summary>The ids of the deployments that affect each app.</summary>
    internal static ILookup<string, string> DeploymentsByApp(IReadOnlyList<DeploymentInfo> deployments) =>
        deployments.SelectMany(d => d.AffectedApps.Select(app => (App: app, d.Id))).ToLookup(x => x.App, x => x.Id, StringComparer.Ordinal);

    private static async Task<MarathonJson.AppEntry> FullEntryAsync(IGrainFactory grains, AppStatus app, bool details)
    {
        var deployments = DeploymentsByApp(await Root(grains).ListDeployments());
        return new MarathonJson.AppEntry(
            app.Definition!,
            AppCounts.Of(app.Definition, app.Instances),
            deployments[app.Definition!.Id].ToList(),
            details ? app.Instances : null,
            details ? app.LastTaskFailure : null);
    }

    private static async Task<IResult> GetUnderAppAsync(string path, HttpContext context, IGrainFactory grains)
    {
        if (path == "*" || path.EndsWith("/*", StringComparison.Ordinal))
        {
            return await ListAppsAsync(context, grains, path == "*" ? "/" : AppPath(path[..^2]));
        }

        if (Suffix(path, "/tasks") is { } tasksOf)
        {
            var status = await RequireAppAsync(grains, tasksOf);
            return Results.Json(new { tasks = status.Instances.Select(MarathonJson.Task) });
        }

        if (Suffix(path, "/versions") is { } versionsOf)
        {
            _ = await RequireAppAsync(grains, versionsOf);
            return Results.Json(new { versions = await grains.GetGrain<IAppGrain>(versionsOf).GetVersions() });
        }

        var versionAt = path.LastIndexOf("/versions/", StringComparison.Ordinal);
        if (versionAt > 0)
        {
            var id = AppPath(path[..versionAt]);
            var version = path[(versionAt + "/versions/".Length)..];
            _ = await RequireAppAsync(grains, id);
            var definition = await grains.GetGrain<IAppGrain>(id).GetVersion(version)
                ?? throw new MarathonNotFoundException($"App '{id}' does not exist in version {version}");
            return Results.Json(definition);
        }

        var app = await RequireAppAsync(grains, AppPath(path));
        var embed = Embeds(context);
        var entry = await FullEntryAsync(grains, app, details: true);
        if (embed.Contains("app.taskStats"))
        {
            entry = entry with { TaskStats = MarathonTaskStats.Of(app.Definition!, app.Instances, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()) };
        }

        if (embed.Contains("app.readiness"))
        {
            entry = entry with { Readiness = await grains.GetGrain<IAppGrain>(app.Definition!.Id).GetReadiness() };
        }

        return MarathonJson.App("app", entry);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains, MarathonOptions options)
    {
        var body = await ReadJsonAsync(context, options);
        if (body is JsonArray)
        {
            return await DeployBulkAsync(context, grains, AppReader.ReadMany(body, options.Roles, options.Limits()));
        }

        var app = AppReader.ReadOne(body, frameworkRoles: options.Roles, limits: options.Limits());
        AppChange[] changes = [new AppChange(app.Id, app, Create: true)];
        MarathonAccess.DemandChanges(context, changes);
        var result = await Root(grains).Deploy(changes, Force(context));
        await ApiPostAsync(context, [app], result.Version);
        var created = await grains.GetGrain<IAppGrain>(app.Id).GetStatus();
        context.Response.Headers[DeploymentHeader] = result.DeploymentId;
        context.Response.Headers.Location = $"/v2/apps{app.Id}";
        var entry = await FullEntryAsync(grains, created with { Definition = created.Definition ?? app }, details: false);
        return MarathonJson.App(null, entry, StatusCodes.Status201Created);
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, IGrainFactory grains, MarathonOptions options, bool patch)
    {
        var body = await ReadJsonAsync(context, options);
        if (body is not JsonObject json)
        {
            throw MarathonValidationException.Of("/", "expected a JSON object (the app)");
        }

        var existing = await grains.GetGrain<IAppGrain>(id).GetDefinition();
        if (existing?.Pod is not null)
        {
            throw new MarathonConflictException($"A pod with id [{id}] already exists: change it at /v2/pods{id}.");
        }
        if (json["id"] is JsonValue given && given.GetValueKind() == JsonValueKind.String
            && AppReader.Canonical(given.GetValue<string>(), "/", out _) is { } givenId && givenId != id)
        {
            throw MarathonValidationException.Of("/id", $"the id in the body ({givenId}) is not the id in the path ({id})");
        }

        JsonObject merged;
        if (patch && existing is not null)
        {
            merged = Merge(existing, json);
        }
        else if (patch && HttpMethods.IsPatch(context.Request.Method))
        {
            throw new MarathonNotFoundException($"App '{id}' does not exist");
        }
        else
        {
            merged = (JsonObject)json.DeepClone();
            merged["id"] = id;
        }

        var app = AppReader.ReadOne(merged, frameworkRoles: options.Roles, limits: options.Limits());
        AppChange[] changes = [new AppChange(id, app)];
        MarathonAccess.DemandChanges(context, changes);
        var result = await Root(grains).Deploy(changes, Force(context));
        await ApiPostAsync(context, [app], result.Version);
        return Changed(context, result, existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> BulkAsync(HttpContext context, IGrainFactory grains, MarathonOptions options, bool patch)
    {
        var body = await ReadJsonAsync(context, options);
        if (body is not JsonArray array)
        {
            throw MarathonValidationException.Of("/", "expected an array of apps");
        }

        if (patch)
        {
            var existing = (await Root(grains).ListApps()).ToDictionary(a => a.Id, StringComparer.Ordinal);
            var merged = new JsonArray();
            foreach (var (item, index) in array.Select((item, index) => (item, index)))
            {
                var id = item is JsonObject o && o["id"] is JsonValue v && v.GetValueKind() == JsonValueKind.String
                    ? AppReader.Canonical(v.GetValue<string>(), "/", out _) : null;
                if (id is null)
                {
                    throw MarathonValidationException.Of($"/{index}/id", "a patch needs the id of the app");
                }

                merged.Add(existing.TryGetValue(id, out var app) ? Merge(app, (JsonObject)item!) : item!.DeepClone());
            }

            array = merged;
        }

        return await DeployBulkAsync(context, grains, AppReader.ReadMany(array, options.Roles, options.Limits()));
    }

    private static async Task<IResult> DeployBulkAsync(HttpContext context, IGrainFactory grains, IReadOnlyList<AppDefinition> apps)
    {
        var changes = apps.Select(a => new AppChange(a.Id, a)).ToList();
        MarathonAccess.DemandChanges(context, changes);
        var result = await Root(grains).Deploy(changes, Force(context));
        await ApiPostAsync(context, apps, result.Version);
        return Changed(context, result);
    }

    private static async Task<IResult> DeleteUnderAppAsync(string path, HttpContext context, IGrainFactory grains)
    {
        if (Suffix(path, "/tasks") is { } tasksOf)
        {
            var status = await RequireAppAsync(grains, tasksOf);
            var host = context.Request.Query["host"].ToString();
            var all = status.Instances.Where(i => host.Length == 0 || i.Host == host).Select(i => i.TaskId).ToList();
            if (all.Count == 0)
            {
                return Results.Json(new { tasks = Array.Empty<object>() }); // nothing on that host: nothing to kill or scale
            }

            if (Flag(context, "scale"))
            {
                return Changed(context, await Root(grains).KillAndScale(new Dictionary<string, IReadOnlyList<string>> { [tasksOf] = all }, Force(context)));
            }

            var killed = await grains.GetGrain<IAppGrain>(tasksOf).KillInstances(all, scale: false);
            return Results.Json(new { tasks = killed.Select(MarathonJson.Task) });
        }

        var taskAt = path.LastIndexOf("/tasks/", StringComparison.Ordinal);
        if (taskAt > 0)
        {
            var id = AppPath(path[..taskAt]);
            var taskId = path[(taskAt + "/tasks/".Length)..];
            var status = await RequireAppAsync(grains, id);
            if (status.Instances.All(i => i.TaskId != taskId))
            {
                throw new MarathonNotFoundException($"Task '{taskId}' does not exist");
            }

            if (Flag(context, "scale"))
            {
                return Changed(context, await Root(grains).KillAndScale(new Dictionary<string, IReadOnlyList<string>> { [id] = [taskId] }, Force(context)));
            }

            var killed = await grains.GetGrain<IAppGrain>(id).KillInstances([taskId], scale: false);
            return Results.Json(new { task = killed.Select(MarathonJson.Task).FirstOrDefault() });
        }

        var appId = AppPath(path);
        AppChange[] changes = [new AppChange(appId, null)];
        MarathonAccess.DemandChanges(context, changes);
        var result = await Root(grains).Deploy(changes, Force(context));
        return Changed(context, result);
    }

    // ------------------------------------------------------------------ tasks, deployments, queue

    private static async Task<IResult> ListTasksAsync(HttpContext context, IGrainFactory grains)
    {
        var access = Access.Of(context);
        var apps = (await Root(grains).ListApps()).Where(a => a.Pod is null && access.ReadsApp(a.Id)).ToList();
        var statuses = await Task.WhenAll(apps.Select(a => grains.GetGrain<IAppGrain>(a.Id).GetStatus()));
        IEnumerable<InstanceRecord> tasks = statuses.SelectMany(s => s.Instances);
        var wanted = context.Request.Query["status"].ToString();
        if (wanted.Length > 0)
        {
            tasks = tasks.Where(t => wanted switch
            {
                "running" => t.State == TaskState.TASK_RUNNING,
                "staging" => t.State is TaskState.TASK_STAGING or TaskState.TASK_STARTING,
                "killing" => t.Killing || t.State == TaskState.TASK_KILLING,
                _ => true,
            });
        }

        var list = tasks.ToList();
        if (context.Request.Headers.Accept.ToString().Contains("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            // Marathon's text form: one line per app and service port, with every task's host:port.
            var text = new StringBuilder();
            foreach (var (app, status) in apps.Zip(statuses))
            {
                var running = status.Instances.Where(t => list.Contains(t)).ToList();
                for (var i = 0; i < app.PortDefinitions.Count; i++)
                {
                    text.Append(app.Id.TrimStart('/').Replace('/', '_')).Append('\t').Append(app.PortDefinitions[i].Port.ToString(CultureInfo.InvariantCulture));
                    foreach (var task in running.Where(t => i < t.Ports.Count))
                    {
                        text.Append('\t').Append(task.Host).Append(':').Append(task.Ports[i].ToString(CultureInfo.InvariantCulture));
                    }

                    text.Append('\n');
                }
            }

            return Results.Text(text.ToString(), "text/plain");
        }

        return Results.Json(new { tasks = list.Select(MarathonJson.Task) });
    }

    private static async Task<IReadOnlyList<DeploymentInfo>> DeploymentsAsync(IGrainFactory grains)
    {
        var deployments = await Root(grains).ListDeployments();
        if (deployments.Count == 0)
        {
            return deployments;
        }

        // Say why an action does not move (the app knows what it waits for; the scheduler why its launches could not
        // be placed), and each instance's readiness when the app has a readiness check.
        var queue = (await grains.GetGrain<IMarathonSchedulerGrain>(MarathonKeys.Scheduler).GetQueue()).ToDictionary(q => q.AppId, StringComparer.Ordinal);
        var actions = await Task.WhenAll(deployments.SelectMany(d => d.CurrentActions.Select(a => (Deployment: d.Id, Action: a)))
            .Select(async x =>
            {
                var grain = grains.GetGrain<IAppGrain>(x.Action.App);
                var readiness = grain.GetReadiness();
                var blockedBy = grain.GetBlockedBy(x.Deployment, queue.GetValueOrDefault(x.Action.App)?.LastReason);
                return (x.Deployment, x.Action.App, Readiness: await readiness, BlockedBy: await blockedBy);
            }));
        var byAction = actions.ToDictionary(a => (a.Deployment, a.App));
        return deployments.Select(d => d with
        {
            CurrentActions = d.CurrentActions.Select(a => a with
            {
                BlockedBy = byAction[(d.Id, a.App)].BlockedBy,
                ReadinessCheckResults = byAction[(d.Id, a.App)].Readiness is { Count: > 0 } results && a.Action != DeploymentActions.Stop ? results : null,
            }).ToList(),
        }).ToList();
    }

    private static async Task<IResult> QueueAsync(Access access, IGrainFactory grains, TimeProvider time)
    {
        var queue = await grains.GetGrain<IMarathonSchedulerGrain>(MarathonKeys.Scheduler).GetQueue();
        var apps = (await Root(grains).ListApps()).ToDictionary(a => a.Id, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var list = new JsonArray();
        foreach (var q in queue.Where(q => apps.ContainsKey(q.AppId) && access.ReadsApp(q.AppId)))
        {
            list.Add(new JsonObject
            {
                ["app"] = JsonSerializer.SerializeToNode(apps[q.AppId]),
                ["count"] = q.Count,
                ["role"] = apps[q.AppId].AcceptedResourceRoles?.FirstOrDefault() ?? "*",
                ["delay"] = new JsonObject { ["timeLeftSeconds"] = q.DelayUntil is { } until && until > now ? (int)Math.Ceiling((until - now).TotalSeconds) : 0, ["overdue"] = !(q.DelayUntil > now) },
                ["since"] = MarathonKeys.Timestamp(q.Since),
                ["processedOffersSummary"] = new JsonObject
                {
                    ["processedOffersCount"] = q.ProcessedOffers,
                    ["unusedOffersCount"] = q.UnusedOffers,
                    ["rejectSummaryLastOffers"] = Funnel(q.RejectSummary, q.LastOffers),
                    ["rejectSummaryLaunchAttempt"] = Funnel(q.AttemptRejectSummary ?? new Dictionary<string, int>(), q.AttemptOffers),
                },
                ["lastReason"] = q.LastReason,
                ["rejectDetailsLastOffers"] = new JsonArray([.. q.RejectSummary.Select(r => (JsonNode)new JsonObject { ["reason"] = r.Key, ["declined"] = r.Value })]),
            });
        }

        return Results.Json(new JsonObject { ["queue"] = list });
    }

    // ------------------------------------------------------------------ JSON

    private static JsonObject Merge(AppDefinition existing, JsonObject patch)
    {
        var merged = JsonSerializer.SerializeToNode(existing)!.AsObject();
        foreach (var (name, value) in patch)
        {
            merged[name] = value?.DeepClone();
        }

        merged["id"] = existing.Id;
        return merged;
    }

    private static bool LabelSelector(string selector, IReadOnlyDictionary<string, string> labels)
    {
        // Marathon's label selector: "key", "key==value", "key!=value", comma-separated, all must hold.
        foreach (var part in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ok = part.Split("!=") is [var k1, var v1] ? labels.GetValueOrDefault(k1) != v1
                : part.Split("==") is [var k2, var v2] ? labels.GetValueOrDefault(k2) == v2
                : labels.ContainsKey(part);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    // ------------------------------------------------------------------ plumbing

    internal static async Task<JsonNode?> ReadJsonAsync(HttpContext context, MarathonOptions options) =>
        await ApiJson.ReadAsync(context, options.MaxRequestBytes, "Marathon:MaxRequestBytes");

    internal static async Task<IResult> Guard(Func<Task<IResult>> action)
    {
        try
        {
            return await ApiResults.Guard(action);
        }
        catch (MarathonValidationException ex)
        {
            return Results.Json(new ApiError("Object is not valid", ex.Details), statusCode: StatusCodes.Status422UnprocessableEntity);
        }
        catch (MarathonNotFoundException ex)
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, ex.Message);
        }
        catch (MarathonConflictException ex)
        {
            return Conflict(ex.Message);
        }
    }

    /// <summary>Marathon's reject summary: every reason of its funnel, in order, with the offers declined and processed.</summary>
    private static JsonArray Funnel(IReadOnlyDictionary<string, int> rejections, int offers) =>
        new([.. OfferRejectFunnel.Summarize(rejections, offers).Select(f => (JsonNode)new JsonObject { ["reason"] = f.Reason, ["declined"] = f.Declined, ["processed"] = f.Processed })]);

    /// <summary>
    /// A 409 as Marathon answers it: the message, and when deployments hold the app (named in the message, which is
    /// what crosses the grain call) Marathon's <c>deployments: [{id}]</c>.
    /// </summary>
    internal static IResult Conflict(string message)
    {
        var json = new JsonObject { ["message"] = message, ["details"] = new JsonArray() };
        if (LockedBy().Match(message) is { Success: true } locked)
        {
            json["deployments"] = new JsonArray([.. locked.Groups[1].Value.Split(',').Select(id => (JsonNode)new JsonObject { ["id"] = id })]);
        }

        return Results.Text(json.ToJsonString(), "application/json", statusCode: StatusCodes.Status409Conflict);
    }

    [System.Text.RegularExpressions.GeneratedRegex("/v2/deployments/([^']+)'")]
    private static partial System.Text.RegularExpressions.Regex LockedBy();

    internal static IResult Changed(HttpContext context, DeploymentResult result, int status = StatusCodes.Status200OK)
    {
        context.Response.Headers[DeploymentHeader] = result.DeploymentId;
        return Results.Json(result, statusCode: status);
    }

    private static async Task<AppStatus> RequireAppAsync(IGrainFactory grains, string id)
    {
        var status = await grains.GetGrain<IAppGrain>(id).GetStatus();
        return status.Definition is null or { Pod: not null } ? throw new MarathonNotFoundException($"App '{id}' does not exist") : status;
    }

    internal static string AppPath(string path) =>
        AppReader.Canonical(path, "/", out var error) ?? throw MarathonValidationException.Of("/id", error!);

    private static string? Suffix(string path, string suffix) =>
        path.EndsWith(suffix, StringComparison.Ordinal) && path.Length > suffix.Length ? AppPath(path[..^suffix.Length]) : null;

    internal static HashSet<string> Embeds(HttpContext context) =>
        context.Request.Query["embed"].SelectMany(e => (e ?? string.Empty).Split(',')).ToHashSet(StringComparer.Ordinal);

    internal static bool Force(HttpContext context) => Flag(context, "force");

    /// <summary>
    /// Marathon's PUT merges the body into the existing app unless <c>partialUpdate=false</c> (then the body is the
    /// whole new definition); an app that does not exist yet is created from the body either way.
    /// </summary>
    private static bool PartialUpdate(HttpContext context) =>
        !context.Request.Query["partialUpdate"].ToString().Equals("false", StringComparison.OrdinalIgnoreCase);

    internal static bool Flag(HttpContext context, string name) =>
        context.Request.Query[name].ToString() is var v && (v.Equals("true", StringComparison.OrdinalIgnoreCase) || v == "1");

    /// <summary>
    /// api_post_event for each app of an accepted change through <c>/v2/apps</c> (as Marathon, not for groups; refused
    /// input changes nothing, events included), its definition with the <paramref name="version"/> the change gave it.
    /// </summary>
    internal static Task ApiPostAsync(HttpContext context, IReadOnlyList<AppDefinition> apps, string version)
    {
        var stream = context.RequestServices.GetRequiredService<IClusterClient>().GetStreamProvider(MarathonEventStream.ProviderName)
            .GetStream<MarathonEvent>(DcosStreams.MarathonEvents);
        return Task.WhenAll(apps.Select(app => stream.OnNextAsync(MarathonEvent.Of(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), MarathonEventStream.ApiPost, new JsonObject
        {
            ["clientIp"] = context.Connection.RemoteIpAddress?.ToString(),
            ["uri"] = context.Request.Path.ToString(),
            ["appDefinition"] = JsonSerializer.SerializeToNode(app with { Version = app.Version ?? version }),
        }))));
    }

    internal static IMarathonRootGrain Root(IGrainFactory grains) => grains.GetGrain<IMarathonRootGrain>(MarathonKeys.Root);
}

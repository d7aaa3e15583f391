using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using NodaTime;
using OrleansDcos.Grains.Jobs;
using OrleansDcos.Grains.Jobs.Validation;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Marathon.Validation;
using OrleansDcos.Grains.Packages;
using OrleansDcos.Scheduling.Packages;
using OrleansDcos.Silo.Api;

namespace OrleansDcos.Silo.Packages;

/// <summary>
/// The package service in Cosmos' shape under <c>/package</c>: <c>search</c>, <c>describe</c>, <c>render</c>,
/// <c>install</c>, <c>uninstall</c>, <c>list</c> and <c>repository/list|add|delete</c>, and DC/OS' <c>/cosmos/service/describe</c>
/// and <c>/cosmos/service/update</c> (another version, as the releases allow, and new options), all POSTs of JSON (Cosmos' own
/// <c>application/vnd.dcos.package.*+json</c> media types are accepted). Installs go through Marathon, labelled as
/// DC/OS labels them, so what is installed is read back from Marathon's apps. Errors are Cosmos'
/// <c>{type, message, data}</c>.
/// </summary>
public static class CosmosEndpoints
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The most a Cosmos request body may hold.</summary>
    public const long MaxRequestBytes = 1024 * 1024;

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapCosmos(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/package/search", (HttpContext context, IGrainFactory grains, PackageCatalog catalog) => Guard(context, async request =>
        {
            var query = Text(request, "query")?.Trim() ?? "";
            var (packages, problems) = await ReadAsync(grains, catalog, context);
            var found = packages.GroupBy(p => p.Definition.Name, StringComparer.Ordinal)
                .Select(g => (Name: g.Key, Releases: g.Where(p => p.Repository == g.First().Repository).ToList()))
                .Where(g => query.Length == 0 || Matches(g.Releases[0].Definition, query))
                .Select(g =>
                {
                    var newest = Newest(g.Releases);
                    return (JsonNode)new JsonObject
                    {
                        ["name"] = g.Name,
                        ["currentVersion"] = newest.Definition.Version,
                        ["versions"] = new JsonObject(g.Releases.Select(r => KeyValuePair.Create(r.Definition.Version, (JsonNode?)r.ReleaseVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
                        ["description"] = newest.Definition.Description,
                        ["framework"] = newest.Definition.Framework,
                        ["tags"] = new JsonArray([.. newest.Definition.Tags.Select(t => (JsonNode)t)]),
                        ["selected"] = newest.Definition.Selected,
                        ["images"] = newest.Resource?["images"]?.DeepClone() ?? new JsonObject(),
                    };
                });
            return WithProblems(new JsonObject { ["packages"] = new JsonArray([.. found]) }, problems);
        }));

        endpoints.MapPost("/package/describe", (HttpContext context, IGrainFactory grains, PackageCatalog catalog) => Guard(context, async request =>
        {
            var (package, problems) = await FindAsync(request, grains, catalog, context);
            var json = package.Definition.Json.DeepClone().AsObject();
            json["releaseVersion"] = package.ReleaseVersion;
            json["config"] = package.Config?.DeepClone();
            json["resource"] = package.Resource?.DeepClone();
            json["marathon"] = package.MarathonTemplate is { } template ? new JsonObject { ["v2AppMustacheTemplate"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(template)) } : null;
            return WithProblems(new JsonObject { ["package"] = json }, problems);
        }));

        endpoints.MapPost("/package/render", (HttpContext context, IGrainFactory grains, PackageCatalog catalog) => Guard(context, async request =>
        {
            var (package, _) = await FindAsync(request, grains, catalog, context);
            return IsJobPackage(package)
                ? new JsonObject { ["chronosJson"] = RenderChecked(package, request) }
                : new JsonObject { ["marathonJson"] = RenderChecked(package, request) };
        }));

        endpoints.MapPost("/package/install", (HttpContext context, IGrainFactory grains, PackageCatalog catalog, IOptions<MarathonOptions> marathon) => Guard(context, async request =>
        {
            var (package, _) = await FindAsync(request, grains, catalog, context);
            var rendered = RenderChecked(package, request);
            if (IsJobPackage(package))
            {
                var job = ReadJob(rendered, context);
                if ((await Jobs(grains).Links()).ContainsKey(job.Name))
                {
                    throw AlreadyInstalled(job.Name);
                }

                await Jobs(grains).Put(job);
                return new JsonObject
                {
                    ["packageName"] = package.Definition.Name,
                    ["packageVersion"] = package.Definition.Version,
                    ["jobName"] = job.Name,
                    ["postInstallNotes"] = package.Definition.PostInstallNotes,
                };
            }

            var apps = await Root(grains).ListApps();
            string installedAs;
            DeploymentResult result;
            if (PackageRenderer.IsGroup(rendered))
            {
                var group = ReadGroup(rendered, marathon.Value);
                installedAs = group.GroupId;
                if (apps.Any(a => a.Id == group.GroupId || a.Id.StartsWith(group.GroupId + "/", StringComparison.Ordinal)))
                {
                    throw AlreadyInstalled(group.GroupId);
                }

                AppChange[] changes = [.. group.Apps.Select(a => new AppChange(a.Id, a, Create: true))];
                Security.MarathonAccess.DemandChanges(context, changes);
                result = await Root(grains).Deploy(changes, force: false,
                    new GroupUpdate(group.GroupId, group.Groups, group.Dependencies));
            }
            else
            {
                var app = ReadApp(rendered, marathon.Value);
                installedAs = app.Id;
                if (apps.Any(a => a.Id == app.Id))
                {
                    throw AlreadyInstalled(app.Id);
                }

                AppChange[] changes = [new AppChange(app.Id, app, Create: true)];
                Security.MarathonAccess.DemandChanges(context, changes);
                result = await Root(grains).Deploy(changes, force: false);
            }

            return new JsonObject
            {
                ["packageName"] = package.Definition.Name,
                ["packageVersion"] = package.Definition.Version,
                ["appId"] = installedAs,
                ["deploymentId"] = result.DeploymentId,
                ["postInstallNotes"] = package.Definition.PostInstallNotes,
            };
        }));

        endpoints.MapPost("/package/list", (HttpContext context, IGrainFactory grains) => Guard(context, async request =>
        {
            var name = Text(request, "packageName");
            var appId = Text(request, "appId") is { } given ? Canonical(given) : null;
            var installed = (await AllInstallationsAsync(grains))
                .Where(i => (name is null || i.Labels[PackageRenderer.NameLabel] == name) && (appId is null || i.Id == appId))
                .Select(i => (JsonNode)new JsonObject
                {
                    ["appId"] = i.Id,
                    ["packageInformation"] = new JsonObject
                    {
                        ["packageDefinition"] = PackageRenderer.FromBase64(i.Labels.GetValueOrDefault(PackageRenderer.MetadataLabel))
                            ?? new JsonObject { ["name"] = i.Labels[PackageRenderer.NameLabel], ["version"] = i.Labels.GetValueOrDefault(PackageRenderer.VersionLabel) },
                    },
                    ["packageName"] = i.Labels[PackageRenderer.NameLabel],
                    ["packageVersion"] = i.Labels.GetValueOrDefault(PackageRenderer.VersionLabel),
                    ["packageSource"] = i.Labels.GetValueOrDefault(PackageRenderer.SourceLabel),
                    ["options"] = PackageRenderer.FromBase64(i.Labels.GetValueOrDefault(PackageRenderer.OptionsLabel)),
                    ["apps"] = new JsonArray([.. i.Apps.Select(a => (JsonNode)a.Id)]),
                    ["jobName"] = i.Job,
                });
            return new JsonObject { ["packages"] = new JsonArray([.. installed]) };
        }));

        endpoints.MapPost("/package/uninstall", (HttpContext context, IGrainFactory grains) => Guard(context, async request =>
        {
            var name = Text(request, "packageName") ?? throw Field("packageName", "is required");
            var appId = Text(request, "appId") is { } given ? Canonical(given) : null;
            var all = request["all"] is JsonValue flag && flag.TryGetValue<bool>(out var yes) && yes;
            var installed = (await AllInstallationsAsync(grains))
                .Where(i => i.Labels[PackageRenderer.NameLabel] == name && (appId is null || i.Id == appId)).ToList();
            if (installed.Count == 0)
            {
                throw new CosmosException(StatusCodes.Status404NotFound, "PackageNotInstalled", $"package {name} is not installed{(appId is null ? "" : $" as {appId}")}",
                    new JsonObject { ["packageName"] = name });
            }

            if (installed.Count > 1 && !all)
            {
                throw new CosmosException(StatusCodes.Status400BadRequest, "AmbiguousAppId",
                    $"package {name} is installed {installed.Count} times ({string.Join(", ", installed.Select(a => a.Id))}): name one with appId, or pass all",
                    new JsonObject { ["packageName"] = name, ["appIds"] = new JsonArray([.. installed.Select(a => (JsonNode)a.Id)]) });
            }

            foreach (var installation in installed.Where(i => i.Job is not null))
            {
                await Jobs(grains).Delete(installation.Job!);
            }

            foreach (var installation in installed.Where(i => i.Job is null))
            {
                // A group install goes with its group, as DELETE /v2/groups does it.
                AppChange[] changes = [.. installation.Apps.Select(a => new AppChange(a.Id, null))];
                Security.MarathonAccess.DemandChanges(context, changes);
                await Root(grains).Deploy(changes, force: true,
                    installation.Group ? new GroupUpdate(installation.Id, [], new Dictionary<string, IReadOnlyList<string>>()) : null);
            }

            return new JsonObject
            {
                ["results"] = new JsonArray([.. installed.Select(a => (JsonNode)new JsonObject
                {
                    ["packageName"] = name,
                    ["packageVersion"] = a.Labels.GetValueOrDefault(PackageRenderer.VersionLabel),
                    ["appId"] = a.Id,
                    ["postUninstallNotes"] = PackageRenderer.FromBase64(a.Labels.GetValueOrDefault(PackageRenderer.MetadataLabel))?["postUninstallNotes"]?.DeepClone(),
                })]),
            };
        }));

        endpoints.MapPost("/cosmos/service/describe", (HttpContext context, IGrainFactory grains, PackageCatalog catalog) => Guard(context, async request =>
        {
            var (app, installed) = await InstalledAsync(request, grains, catalog, context);
            var (packages, _) = await ReadAsync(grains, catalog, context);
            var (up, down) = PackageUpgrades.Choices(installed.Definition, packages.Select(p => p.Definition));
            return new JsonObject
            {
                ["package"] = installed.Definition.Json.DeepClone(),
                ["appId"] = app.Id,
                ["upgradesTo"] = new JsonArray([.. up.Select(v => (JsonNode)v)]),
                ["downgradesTo"] = new JsonArray([.. down.Select(v => (JsonNode)v)]),
                ["resolvedOptions"] = PackageRenderer.FromBase64(app.Labels.GetValueOrDefault(PackageRenderer.OptionsLabel)),
            };
        }));

        endpoints.MapPost("/cosmos/service/update", (HttpContext context, IGrainFactory grains, PackageCatalog catalog, IOptions<MarathonOptions> marathon) => Guard(context, async request =>
        {
            var (app, installed) = await InstalledAsync(request, grains, catalog, context);
            if (app.Labels.ContainsKey(PackageRenderer.GroupLabel))
            {
                throw new CosmosException(StatusCodes.Status400BadRequest, "ServiceUpdateNotSupported",
                    $"{app.Id} is part of the group {app.Labels[PackageRenderer.GroupLabel]} installed from a package: updating a group install is not supported; uninstall and install it", null);
            }

            var version = Text(request, "packageVersion") ?? installed.Definition.Version;
            var (target, _) = await FindAsync(new JsonObject { ["packageName"] = installed.Definition.Name, ["packageVersion"] = version }, grains, catalog, context);
            if (PackageUpgrades.Refusal(installed.Definition, target.Definition) is { } refusal)
            {
                throw new CosmosException(StatusCodes.Status400BadRequest, "VersionUpgradeNotSupported", refusal,
                    new JsonObject { ["installedVersion"] = installed.Definition.Version, ["requestedVersion"] = version });
            }

            // New options over the ones it was installed with, unless replace: then over the new release's defaults only.
            var replace = request["replace"] is JsonValue flag && flag.TryGetValue<bool>(out var yes) && yes;
            var options = replace ? new JsonObject() : PackageRenderer.FromBase64(app.Labels.GetValueOrDefault(PackageRenderer.OptionsLabel)) ?? new JsonObject();
            if (request["options"] is JsonObject given)
            {
                PackageOptions.Merge(options, given);
            }

            var rendered = RenderChecked(target, new JsonObject { ["options"] = options, ["appId"] = app.Id });
            var definition = ReadApp(rendered, marathon.Value);
            AppChange[] changes = [new AppChange(app.Id, definition)];
            Security.MarathonAccess.DemandChanges(context, changes);
            var result = await Root(grains).Deploy(changes, force: false);
            return new JsonObject
            {
                ["package"] = target.Definition.Json.DeepClone(),
                ["resolvedOptions"] = PackageRenderer.FromBase64(rendered["labels"]![PackageRenderer.OptionsLabel]!.GetValue<string>()),
                ["marathonDeploymentId"] = result.DeploymentId,
            };
        }));

        endpoints.MapPost("/package/repository/list", (HttpContext context, IGrainFactory grains) => Guard(context, async _ =>
            Repositories(await Repositories(grains).List())));
        endpoints.MapPost("/package/repository/add", (HttpContext context, IGrainFactory grains) => Guard(context, async request =>
        {
            var name = Text(request, "name") ?? throw Field("name", "is required");
            var uri = Text(request, "uri") ?? throw Field("uri", "is required");
            int? index = request["index"] is JsonValue at && at.TryGetValue<int>(out var position) ? position : null;
            return Repositories(await Repositories(grains).Add(new PackageRepositoryInfo(name, uri), index));
        }));
        endpoints.MapPost("/package/repository/delete", (HttpContext context, IGrainFactory grains) => Guard(context, async request =>
        {
            var name = Text(request, "name");
            var uri = Text(request, "uri");
            return name is null && uri is null
                ? throw Field("name", "name or uri is required")
                : Repositories(await Repositories(grains).Remove(name, uri));
        }));
        return endpoints;
    }

    private static IMarathonRootGrain Root(IGrainFactory grains) => grains.GetGrain<IMarathonRootGrain>(MarathonKeys.Root);

    private static IPackageRepositoriesGrain Repositories(IGrainFactory grains) => grains.GetGrain<IPackageRepositoriesGrain>(IPackageRepositoriesGrain.Key);

    private static JsonObject Repositories(IReadOnlyList<PackageRepositoryInfo> repositories) =>
        new() { ["repositories"] = new JsonArray([.. repositories.Select(r => (JsonNode)new JsonObject { ["name"] = r.Name, ["uri"] = r.Uri })]) };

    private static async Task<(IReadOnlyList<UniversePackage> Packages, IReadOnlyList<string> Problems)> ReadAsync(IGrainFactory grains, PackageCatalog catalog, HttpContext context) =>
        await catalog.ReadAsync(await Repositories(grains).List(), context.RequestAborted);

    /// <summary>The release a request names: <c>packageName</c> and, if given, <c>packageVersion</c>; else the newest of the first repository that has it.</summary>
    private static async Task<(UniversePackage Package, IReadOnlyList<string> Problems)> FindAsync(JsonNode request, IGrainFactory grains, PackageCatalog catalog, HttpContext context)
    {
        var name = Text(request, "packageName") ?? throw Field("packageName", "is required");
        var version = Text(request, "packageVersion");
        var (packages, problems) = await ReadAsync(grains, catalog, context);
        var releases = packages.Where(p => p.Definition.Name == name).ToList();
        if (releases.Count == 0)
        {
            throw new CosmosException(StatusCodes.Status400BadRequest, "PackageNotFound", $"package {name} is not in any repository" +
                (problems.Count > 0 ? $" that could be read ({string.Join("; ", problems)})" : ""), new JsonObject { ["packageName"] = name });
        }

        if (version is null)
        {
            return (Newest(releases.Where(p => p.Repository == releases[0].Repository).ToList()), problems);
        }

        return (releases.FirstOrDefault(p => p.Definition.Version == version)
            ?? throw new CosmosException(StatusCodes.Status400BadRequest, "VersionNotFound",
                $"package {name} has no version {version} (it has {string.Join(", ", releases.Select(r => r.Definition.Version).Distinct())})",
                new JsonObject { ["packageName"] = name, ["packageVersion"] = version }), problems);
    }

    private static GroupDefinition ReadGroup(JsonObject rendered, MarathonOptions marathon)
    {
        try
        {
            return GroupReader.Read(rendered, null, marathon.Roles, marathon.Limits());
        }
        catch (MarathonValidationException ex)
        {
            throw new CosmosException(StatusCodes.Status400BadRequest, "MarathonBadResponse", $"Marathon refused the rendered group: {ex.Message}",
                new JsonObject { ["errors"] = JsonSerializer.SerializeToNode(ex.Details) });
        }
    }

    private static CosmosException AlreadyInstalled(string id) =>
        new(StatusCodes.Status409Conflict, "PackageAlreadyInstalled", $"{id} is installed already: choose another appId", new JsonObject { ["appId"] = id });

    /// <summary>What packages installed, from Marathon's labels: one app, or the apps of one group install (by <see cref="PackageRenderer.GroupLabel"/>).</summary>
    private static IEnumerable<Installation> Installations(IEnumerable<AppDefinition> apps) =>
        apps.Where(a => a.Labels.ContainsKey(PackageRenderer.NameLabel))
            .GroupBy(a => a.Labels.GetValueOrDefault(PackageRenderer.GroupLabel) ?? a.Id, StringComparer.Ordinal)
            .Select(g => new Installation(g.Key, g.First().Labels.ContainsKey(PackageRenderer.GroupLabel), [.. g.OrderBy(a => a.Id, StringComparer.Ordinal)], g.First().Labels))
            .OrderBy(i => i.Id, StringComparer.Ordinal);

    private sealed record Installation(string Id, bool Group, IReadOnlyList<AppDefinition> Apps, IReadOnlyDictionary<string, string> Labels, string? Job = null);

    /// <summary>Apps and group installs from Marathon, and job installs from the jobs (their id is the job's name).</summary>
    private static async Task<IReadOnlyList<Installation>> AllInstallationsAsync(IGrainFactory grains)
    {
        var jobs = (await Silo.Jobs.ChronosEndpoints.ViewsAsync(grains))
            .Where(v => v.Definition.Labels?.ContainsKey(PackageRenderer.NameLabel) == true)
            .Select(v => new Installation(v.Definition.Name, false, [], v.Definition.Labels!, v.Definition.Name));
        return [.. Installations(await Root(grains).ListApps()).Concat(jobs).OrderBy(i => i.Id, StringComparer.Ordinal)];
    }

    private static IJobsGrain Jobs(IGrainFactory grains) => grains.GetGrain<IJobsGrain>(JobKeys.Root);

    private static bool IsJobPackage(UniversePackage package) => package.MarathonTemplate is null && package.JobTemplate is not null;

    private static JobDefinition ReadJob(JsonObject rendered, HttpContext context)
    {
        try
        {
            var kind = rendered["parents"] is JsonArray { Count: > 0 } ? JobReader.Kind.Dependent : JobReader.Kind.Scheduled;
            return JobReader.Read(rendered, kind, Instant.FromDateTimeOffset(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()));
        }
        catch (JobValidationException ex)
        {
            throw new CosmosException(StatusCodes.Status400BadRequest, "ChronosBadResponse", $"the rendered job is refused: {ex.Message}",
                new JsonObject { ["errors"] = JsonSerializer.SerializeToNode(ex.Details) });
        }
    }

    private static AppDefinition ReadApp(JsonObject rendered, MarathonOptions marathon)
    {
        try
        {
            return AppReader.ReadOne(rendered, frameworkRoles: marathon.Roles, limits: marathon.Limits());
        }
        catch (MarathonValidationException ex)
        {
            throw new CosmosException(StatusCodes.Status400BadRequest, "MarathonBadResponse", $"Marathon refused the rendered app: {ex.Message}",
                new JsonObject { ["errors"] = JsonSerializer.SerializeToNode(ex.Details) });
        }
    }

    /// <summary>The installed app a request's <c>appId</c> names, and the release it was installed from (as its labels say).</summary>
    private static async Task<(AppDefinition App, UniversePackage Package)> InstalledAsync(JsonNode request, IGrainFactory grains, PackageCatalog catalog, HttpContext context)
    {
        var appId = Canonical(Text(request, "appId") ?? throw Field("appId", "is required"));
        var apps = await Root(grains).ListApps();
        if (apps.Any(a => a.Labels.GetValueOrDefault(PackageRenderer.GroupLabel) == appId))
        {
            throw new CosmosException(StatusCodes.Status400BadRequest, "ServiceUpdateNotSupported",
                $"{appId} is a group installed from a package: updating a group install is not supported; uninstall and install it", new JsonObject { ["appId"] = appId });
        }

        var app = apps.FirstOrDefault(a => a.Id == appId && a.Labels.ContainsKey(PackageRenderer.NameLabel))
            ?? throw new CosmosException(StatusCodes.Status404NotFound, "ServiceNotFound", $"no app {appId} installed from a package", new JsonObject { ["appId"] = appId });
        var (package, _) = await FindAsync(new JsonObject
        {
            ["packageName"] = app.Labels[PackageRenderer.NameLabel],
            ["packageVersion"] = app.Labels.GetValueOrDefault(PackageRenderer.VersionLabel),
        }, grains, catalog, context);
        return (app, package);
    }

    private static UniversePackage Newest(IReadOnlyList<UniversePackage> releases) => releases.MaxBy(r => r.ReleaseVersion)!;

    /// <summary>The options of a request resolved against the package's schema, rendered; 400 JsonSchemaMismatch naming each path otherwise.</summary>
    private static JsonObject RenderChecked(UniversePackage package, JsonNode request)
    {
        var user = request["options"] switch
        {
            null => null,
            JsonObject given => given,
            _ => throw Field("options", "must be a JSON object"),
        };
        var (options, errors) = PackageOptions.Resolve(package.Config, user);
        if (errors.Count > 0)
        {
            throw new CosmosException(StatusCodes.Status400BadRequest, "JsonSchemaMismatch",
                $"Options JSON failed validation: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Error}"))}",
                new JsonObject { ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["path"] = e.Path, ["message"] = e.Error })]) });
        }

        if (IsJobPackage(package))
        {
            return PackageRenderer.RenderJob(package, options, Text(request, "appId")?.Trim('/'));
        }

        var appId = Text(request, "appId") is { } id ? Canonical(id) : null;
        return PackageRenderer.Render(package, options, appId);
    }

    private static string Canonical(string appId) =>
        AppReader.Canonical(appId, "/", out var error) ?? throw Field("appId", error ?? "is not an app id");

    private static bool Matches(PackageDefinition definition, string query) =>
        definition.Name.Contains(query, StringComparison.OrdinalIgnoreCase)
        || definition.Description.Contains(query, StringComparison.OrdinalIgnoreCase)
        || definition.Tags.Any(t => t.Contains(query, StringComparison.OrdinalIgnoreCase));

    private static JsonObject WithProblems(JsonObject answer, IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            answer["repositoryErrors"] = new JsonArray([.. problems.Select(p => (JsonNode)p)]); // reported, not fatal: the other repositories still serve
        }

        return answer;
    }

    private static string? Text(JsonNode request, string field) => request[field] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw Field(field, "must be a string"),
    };

    private static CosmosException Field(string field, string problem) =>
        new(StatusCodes.Status400BadRequest, "JsonSchemaMismatch", $"{field} {problem}",
            new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["path"] = "/" + field, ["message"] = problem }) });

    /// <summary>Reads the request, runs <paramref name="action"/>, and answers Cosmos' way — success as JSON, failure as <c>{type, message, data}</c>.</summary>
    private static async Task<IResult> Guard(HttpContext context, Func<JsonNode, Task<JsonObject>> action)
    {
        try
        {
            // An empty body (repository/list, list, search without a query) is an empty request.
            var request = context.Request.ContentLength is 0 || (context.Request.ContentLength is null && context.Request.Headers.TransferEncoding.Count == 0)
                ? new JsonObject()
                : await ApiJson.ReadAsync(context, MaxRequestBytes, "the Cosmos request limit");
            if (request is not JsonObject)
            {
                throw Field("", "the request must be a JSON object");
            }

            return Results.Text((await action(request)).ToJsonString(Readable), "application/json");
        }
        catch (CosmosException ex)
        {
            return Error(ex.Status, ex.Type, ex.Message, ex.Details);
        }
        catch (PackageException ex)
        {
            return Error(StatusCodes.Status400BadRequest, "PackageError", ex.Message, null);
        }
        catch (PackageRepositoryException ex)
        {
            return Error(ex.Type == "RepositoryNotPresent" ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest, ex.Type, ex.Message, null);
        }
        catch (BadRequestException ex)
        {
            return Error(StatusCodes.Status400BadRequest, "MalformedRequest", ex.Message, null);
        }
        catch (PayloadTooLargeException ex)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, "RequestTooLarge", ex.Message, null);
        }
        catch (UnsupportedMediaTypeException ex)
        {
            return Error(StatusCodes.Status415UnsupportedMediaType, "UnsupportedContentType", ex.Message, null);
        }
        catch (MarathonValidationException ex)
        {
            return Error(StatusCodes.Status400BadRequest, "MarathonBadResponse", ex.Message, new JsonObject { ["errors"] = JsonSerializer.SerializeToNode(ex.Details) });
        }
        catch (MarathonConflictException ex)
        {
            return Error(StatusCodes.Status409Conflict, "MarathonAppConflict", ex.Message, null);
        }
        catch (Security.AccessDeniedException ex)
        {
            return Error(StatusCodes.Status403Forbidden, "Forbidden", ex.Message, null);
        }
    }

    private static IResult Error(int status, string type, string message, JsonObject? data) =>
        Results.Text(new JsonObject { ["type"] = type, ["message"] = message, ["data"] = data }.ToJsonString(Readable), "application/json", statusCode: status);
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stubble.Core.Builders;

namespace OrleansDcos.Scheduling.Packages;

/// <summary>
/// A package release rendered into what Marathon deploys: its <c>marathon.json.mustache</c> with the options and
/// <c>resource</c> in scope (Stubble; values escaped for JSON strings, not HTML), parsed as a Marathon app (or group),
/// and labelled as DC/OS labels installed packages, so Marathon alone can list them.
/// </summary>
public static class PackageRenderer
{
    /// <summary>The package's name.</summary>
    public const string NameLabel = "DCOS_PACKAGE_NAME";

    /// <summary>The package's version.</summary>
    public const string VersionLabel = "DCOS_PACKAGE_VERSION";

    /// <summary>The repository URI it came from.</summary>
    public const string SourceLabel = "DCOS_PACKAGE_SOURCE";

    /// <summary>The options it was installed with (base64 JSON).</summary>
    public const string OptionsLabel = "DCOS_PACKAGE_OPTIONS";

    /// <summary>Its package.json, less what a listing does not need (base64 JSON).</summary>
    public const string MetadataLabel = "DCOS_PACKAGE_METADATA";

    /// <summary>Its release number in the repository.</summary>
    public const string ReleaseLabel = "DCOS_PACKAGE_RELEASE";

    /// <summary>On every app of a package that renders a Marathon group: the group it was installed as.</summary>
    public const string GroupLabel = "DCOS_PACKAGE_GROUP_ID";

    /// <summary>Its framework's name, when it is one.</summary>
    public const string FrameworkNameLabel = "DCOS_PACKAGE_FRAMEWORK_NAME";

    /// <summary>The most a rendered definition may hold.</summary>
    public const int MaxRenderedBytes = 1024 * 1024;

    private static readonly Stubble.Core.StubbleVisitorRenderer Stubble = new StubbleBuilder()
        .Configure(settings => settings.SetEncodingFunction(JsonText).AddTruthyCheck<JsonBool>(b => b.Value))
        .Build();

    /// <summary>Renders <paramref name="package"/> with <paramref name="options"/>; <paramref name="appId"/> replaces the app's id (to install twice).</summary>
    public static JsonObject Render(UniversePackage package, JsonObject options, string? appId = null)
    {
        var template = package.MarathonTemplate
            ?? throw new PackageException($"package {package.Definition.Name} {package.Definition.Version} has no Marathon template: nothing to install");
        var app = RenderObject(package, template, options);
        if (appId is not null)
        {
            if (IsGroup(app))
            {
                throw new PackageException($"package {package.Definition.Name} installs a Marathon group, whose apps' ids come from its options: name it there, not with appId");
            }

            app["id"] = appId;
        }

        if (app["id"] is not JsonValue id || !id.TryGetValue<string>(out var installedAs))
        {
            throw new PackageException($"package {package.Definition.Name}: the rendered definition has no \"id\"");
        }

        if (IsGroup(app))
        {
            // A group: every app in it carries the labels, and the group it was installed as.
            foreach (var member in Apps(app))
            {
                Label(member, package, options);
                ((JsonObject)member["labels"]!)[GroupLabel] = installedAs;
            }

            return app;
        }

        Label(app, package, options);
        return app;
    }

    /// <summary>
    /// Renders a job package's <c>chronos.json.mustache</c> into a Chronos job, labelled like an app (this project's jobs
    /// take labels); <paramref name="jobName"/> replaces its name (to install twice).
    /// </summary>
    public static JsonObject RenderJob(UniversePackage package, JsonObject options, string? jobName = null)
    {
        var template = package.JobTemplate
            ?? throw new PackageException($"package {package.Definition.Name} {package.Definition.Version} has no job template");
        var job = RenderObject(package, template, options);
        if (jobName is not null)
        {
            job["name"] = jobName;
        }

        if (job["name"] is not JsonValue name || !name.TryGetValue<string>(out _))
        {
            throw new PackageException($"package {package.Definition.Name}: the rendered job has no \"name\"");
        }

        Label(job, package, options);
        return job;
    }

    private static JsonObject RenderObject(UniversePackage package, string template, JsonObject options)
    {
        var scope = Plain(options) as Dictionary<string, object?> ?? [];
        scope["resource"] = Plain(package.Resource ?? new JsonObject());
        string text;
        try
        {
            text = Stubble.Render(template, scope);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new PackageException($"package {package.Definition.Name}: its template does not render: {ex.Message}");
        }

        if (Encoding.UTF8.GetByteCount(text) > MaxRenderedBytes)
        {
            throw new PackageException($"package {package.Definition.Name}: its rendered definition is larger than {MaxRenderedBytes} bytes");
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new PackageException($"package {package.Definition.Name}: its template renders to JSON that is not an object");
        }
        catch (JsonException ex)
        {
            throw new PackageException($"package {package.Definition.Name}: its template renders to text that is not JSON ({ex.Message})");
        }
    }

    /// <summary>Whether a rendered definition is a Marathon group (it has <c>apps</c> or <c>groups</c>, and no command or container of its own).</summary>
    public static bool IsGroup(JsonObject rendered) =>
        (rendered["apps"] is JsonArray || rendered["groups"] is JsonArray) && rendered["cmd"] is null && rendered["args"] is null && rendered["container"] is null;

    /// <summary>The apps of a group definition, in its groups too.</summary>
    public static IEnumerable<JsonObject> Apps(JsonObject group) =>
        (group["apps"] as JsonArray ?? []).OfType<JsonObject>().Concat((group["groups"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(Apps));

    private static void Label(JsonObject app, UniversePackage package, JsonObject options)
    {
        var labels = app["labels"] as JsonObject ?? new JsonObject();
        labels[NameLabel] = package.Definition.Name;
        labels[VersionLabel] = package.Definition.Version;
        labels[SourceLabel] = package.RepositoryUri;
        labels[ReleaseLabel] = package.ReleaseVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        labels[OptionsLabel] = Base64(options);
        labels[MetadataLabel] = Base64(Metadata(package.Definition));
        if (package.Definition.Framework)
        {
            labels[FrameworkNameLabel] = options["service"]?["name"]?.ToString() ?? package.Definition.Name;
        }

        app["labels"] = labels;
    }

    /// <summary>What <see cref="MetadataLabel"/> carries: package.json without its long texts.</summary>
    public static JsonObject Metadata(PackageDefinition definition)
    {
        var metadata = new JsonObject
        {
            ["packagingVersion"] = definition.PackagingVersion,
            ["name"] = definition.Name,
            ["version"] = definition.Version,
            ["description"] = definition.Description,
            ["framework"] = definition.Framework,
            ["tags"] = new JsonArray([.. definition.Tags.Select(t => (JsonNode)t)]),
        };
        if (definition.Maintainer is { } maintainer)
        {
            metadata["maintainer"] = maintainer;
        }

        if (definition.PostInstallNotes is { } notes)
        {
            metadata["postInstallNotes"] = notes;
        }

        if (definition.PostUninstallNotes is { } uninstallNotes)
        {
            metadata["postUninstallNotes"] = uninstallNotes;
        }

        return metadata;
    }

    /// <summary>A label's base64 JSON read back (null when it is not one).</summary>
    public static JsonObject? FromBase64(string? label)
    {
        if (string.IsNullOrEmpty(label))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(Convert.FromBase64String(label)) as JsonObject;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private static string Base64(JsonNode json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString()));

    /// <summary>JSON as plain .NET values for Mustache: objects as dictionaries, arrays as lists.</summary>
    private static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => Plain(p.Value)),
        JsonArray a => a.Select(Plain).ToList(),
        JsonValue v when v.TryGetValue<bool>(out var b) => new JsonBool(b),
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        _ => node.ToString(),
    };

    /// <summary>A boolean that renders as JSON does (<c>true</c>, not <c>True</c>) and is false in a section.</summary>
    private sealed record JsonBool(bool Value)
    {
        public override string ToString() => Value ? "true" : "false";
    }

    /// <summary>A value as it may stand inside a JSON string: quotes, backslashes and control characters escaped.</summary>
    private static string JsonText(string value)
    {
        var quoted = JsonSerializer.Serialize(value);
        return quoted[1..^1];
    }
}

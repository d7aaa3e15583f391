using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansDcos.Scheduling.Packages;

/// <summary>
/// Universe repositories read from their texts: the repository JSON served over HTTP
/// (<c>{"packages": [{…package.json…, "releaseVersion", "config", "marathon": {"v2AppMustacheTemplate": base64}, "resource"}]}</c>)
/// and the files of one release in the directory layout (<c>packages/&lt;L&gt;/&lt;name&gt;/&lt;revision&gt;/</c>).
/// </summary>
public static class UniverseIndex
{
    /// <summary>The most packages one repository may list.</summary>
    public const int MaxPackages = 10_000;

    /// <summary>The packages of a repository JSON document; a package that cannot be read is left out and named in <paramref name="problems"/>.</summary>
    public static IReadOnlyList<UniversePackage> Parse(string json, string repository, string uri, List<string> problems)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException ex)
        {
            throw new PackageException($"repository {repository} ({uri}) is not JSON: {ex.Message}");
        }

        if (root?["packages"] is not JsonArray packages)
        {
            throw new PackageException($"repository {repository} ({uri}) has no \"packages\" list");
        }

        if (packages.Count > MaxPackages)
        {
            throw new PackageException($"repository {repository} ({uri}) lists {packages.Count} packages, more than {MaxPackages}");
        }

        var read = new List<UniversePackage>(packages.Count);
        for (var i = 0; i < packages.Count; i++)
        {
            try
            {
                read.Add(Entry(packages[i] as JsonObject ?? throw new PackageException("not an object"), repository, uri, $"{repository} packages[{i}]"));
            }
            catch (PackageException ex)
            {
                problems.Add(ex.Message.StartsWith(repository, StringComparison.Ordinal) ? ex.Message : $"{repository} packages[{i}]: {ex.Message}");
            }
        }

        return read;
    }

    /// <summary>One release from its files' texts (<c>config.json</c>, <c>marathon.json.mustache</c> and <c>resource.json</c> may be missing).</summary>
    public static UniversePackage Files(string packageJson, string? configJson, string? marathonTemplate, string? resourceJson, int revision, string repository, string uri, string where,
        string? jobTemplate = null)
    {
        var package = Object(packageJson, where, "package.json")!;
        return new UniversePackage(PackageDefinition.Read(package, where), Object(configJson, where, "config.json"), marathonTemplate,
            Object(resourceJson, where, "resource.json"), revision, repository, uri, jobTemplate);
    }

    private static UniversePackage Entry(JsonObject entry, string repository, string uri, string where)
    {
        var definition = PackageDefinition.Read(entry, where);
        var release = entry["releaseVersion"] is JsonValue r && r.TryGetValue<int>(out var number) ? number : 0;
        return new UniversePackage(definition, entry["config"] as JsonObject, Base64(entry["marathon"]?["v2AppMustacheTemplate"], where, "marathon.v2AppMustacheTemplate"),
            entry["resource"] as JsonObject, release, repository, uri, Base64(entry["chronos"]?["v1JobMustacheTemplate"], where, "chronos.v1JobMustacheTemplate"));
    }

    private static string? Base64(JsonNode? node, string where, string field)
    {
        if (node is not JsonValue encoded || !encoded.TryGetValue<string>(out var base64))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw new PackageException($"{where}: {field} is not base64");
        }
    }

    private static JsonObject? Object(string? text, string where, string file)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new PackageException($"{where}: {file} must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new PackageException($"{where}: {file} is not JSON: {ex.Message}");
        }
    }
}

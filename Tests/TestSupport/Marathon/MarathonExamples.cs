using System.Text.Json.Nodes;

namespace OrleansDcos.Tests.Support.Marathon;

/// <summary>The Marathon definitions the tests run over: the project's fixtures and, when present, Marathon's own examples.</summary>
public static class MarathonExamples
{
    /// <summary>The files that must be refused, with every field the 422 must name (the README's limitations list them).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Refused = new Dictionary<string, string[]>
    {
        ["api-app.json"] = ["/cmd", "/ipAddress", "/env/PASSWORD", "/tty", "/container/docker/network", "/container/docker/parameters", "/container/docker/portMappings", "/acceptedResourceRoles"],
        ["system-docker-http-server.json"] = ["/container/docker/network", "/container/docker/portMappings"],
        ["system-healthcheck-and-volume.json"] = ["/ipAddress", "/container/docker/network"],
        ["bridge-network.json"] = ["/container/docker/network", "/container/docker/portMappings"],
        ["api-group.json"] = ["/groups/0/apps/1/container/docker/privileged", "/groups/0/groups/1/apps/0/container/docker/portMappings", "/groups/0/groups/1/apps/0/container/docker/network"],
    };

    /// <summary>Every definition file — apps, arrays of apps, groups — with its parsed JSON (answers such as task lists are skipped).</summary>
    public static IEnumerable<(string Name, JsonNode Json)> Definitions()
    {
        var files = Directory.GetFiles(RepositoryLayout.MarathonFixtures, "*.json").ToList();
        if (RepositoryLayout.MarathonExamples is { } examples)
        {
            files.AddRange(Directory.GetFiles(examples, "*.json"));
        }

        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var node = JsonNode.Parse(File.ReadAllText(file));
            if (IsAppDefinition(node) || IsGroupDefinition(node))
            {
                yield return (Path.GetFileName(file), node!);
            }
        }
    }

    /// <summary>A group: an object with an id and apps or groups.</summary>
    public static bool IsGroupDefinition(JsonNode? node) =>
        node is JsonObject json && json["id"] is not null && (json["apps"] is JsonArray || json["groups"] is JsonArray);

    /// <summary>An app, or an array of apps.</summary>
    public static bool IsAppDefinition(JsonNode? node) => node switch
    {
        JsonArray array => array.Count > 0 && array.All(IsAppDefinition),
        JsonObject json => json["id"] is not null && json["apps"] is null && json["groups"] is null
            && (json["cmd"] is not null || json["args"] is not null || json["container"] is not null),
        _ => false,
    };
}

using System.Text.Json.Serialization;

namespace OrleansDcos.Cli;

/// <summary>One cluster the CLI knows: a name and the URL of one of its silos.</summary>
public sealed record ClusterEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("url")] string Url);

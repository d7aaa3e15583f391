using System.Text.Json.Serialization;

namespace OrleansDcos.Cli;

/// <summary>One cluster the CLI knows: a name, the URL of one of its silos, and the token of the last <c>dcos auth login</c>.</summary>
public sealed record ClusterEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Token = null);

using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.AgentLink;

/// <summary>How a framework's task runs: a command (process containerizer), optionally inside a Docker image.</summary>
[GenerateSerializer]
[Alias("dcos.CommandSpec")]
public sealed record CommandSpec(
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("shell")] bool Shell = true,
    [property: JsonPropertyName("arguments")] IReadOnlyList<string>? Arguments = null,
    [property: JsonPropertyName("environment")] IReadOnlyDictionary<string, string>? Environment = null,
    [property: JsonPropertyName("uris")] IReadOnlyList<UriSpec>? Uris = null,
    [property: JsonPropertyName("user")] string? User = null);

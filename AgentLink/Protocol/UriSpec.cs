using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.AgentLink;

/// <summary>A URI the fetcher puts into the sandbox before the task starts.</summary>
[GenerateSerializer]
[Alias("dcos.UriSpec")]
public sealed record UriSpec(
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("extract")] bool Extract = true,
    [property: JsonPropertyName("executable")] bool Executable = false,
    [property: JsonPropertyName("cache")] bool Cache = false,
    [property: JsonPropertyName("output_file")] string? OutputFile = null);

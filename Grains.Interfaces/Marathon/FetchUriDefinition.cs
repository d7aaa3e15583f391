using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A fetched URI.</summary>
[GenerateSerializer]
[Alias("dcos.FetchUriDefinition")]
public sealed record FetchUriDefinition
{
    /// <summary>The URI.</summary>
    [JsonPropertyName("uri")]
    [Id(0)]
    public required string Uri { get; init; }

    /// <summary>Unpack archives.</summary>
    [JsonPropertyName("extract")]
    [Id(1)]
    public bool Extract { get; init; } = true;

    /// <summary>Mark executable.</summary>
    [JsonPropertyName("executable")]
    [Id(2)]
    public bool Executable { get; init; }

    /// <summary>Use the agent's cache.</summary>
    [JsonPropertyName("cache")]
    [Id(3)]
    public bool Cache { get; init; }

    /// <summary>Name to save as.</summary>
    [JsonPropertyName("destPath")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(4)]
    public string? DestPath { get; init; }
}

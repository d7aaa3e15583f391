using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A host-path volume.</summary>
[GenerateSerializer]
[Alias("dcos.VolumeDefinition")]
public sealed record VolumeDefinition
{
    /// <summary>Path inside the container.</summary>
    [JsonPropertyName("containerPath")]
    [Id(0)]
    public required string ContainerPath { get; init; }

    /// <summary>Path on the agent.</summary>
    [JsonPropertyName("hostPath")]
    [Id(1)]
    public required string HostPath { get; init; }

    /// <summary>RO or RW.</summary>
    [JsonPropertyName("mode")]
    [Id(2)]
    public string Mode { get; init; } = "RW";
}

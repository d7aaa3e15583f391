using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A volume: a host path (Docker only), or a local persistent volume (<see cref="Persistent"/>).</summary>
[GenerateSerializer]
[Alias("dcos.VolumeDefinition")]
public sealed record VolumeDefinition
{
    /// <summary>Path inside the container.</summary>
    [JsonPropertyName("containerPath")]
    [Id(0)]
    public required string ContainerPath { get; init; }

    /// <summary>Path on the agent (relative: in the sandbox, or a persistent volume's container path); null for a persistent volume.</summary>
    [JsonPropertyName("hostPath")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(1)]
    public string? HostPath { get; init; }

    /// <summary>RO or RW.</summary>
    [JsonPropertyName("mode")]
    [Id(2)]
    public string Mode { get; init; } = "RW";

    /// <summary>A local persistent volume of this size and type, or null.</summary>
    [JsonPropertyName("persistent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(3)]
    public PersistentVolumeDefinition? Persistent { get; init; }
}

using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>The container of an app.</summary>
[GenerateSerializer]
[Alias("dcos.ContainerDefinition")]
public sealed record ContainerDefinition
{
    /// <summary>DOCKER or MESOS.</summary>
    [JsonPropertyName("type")]
    [Id(0)]
    public string Type { get; init; } = "DOCKER";

    /// <summary>The Docker settings (DOCKER only).</summary>
    [JsonPropertyName("docker")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(1)]
    public DockerDefinition? Docker { get; init; }

    /// <summary>Host-path volumes.</summary>
    [JsonPropertyName("volumes")]
    [Id(2)]
    public IReadOnlyList<VolumeDefinition> Volumes { get; init; } = [];
}

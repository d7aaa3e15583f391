using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>Docker settings of an app (host networking only).</summary>
[GenerateSerializer]
[Alias("dcos.DockerDefinition")]
public sealed record DockerDefinition
{
    /// <summary>The image.</summary>
    [JsonPropertyName("image")]
    [Id(0)]
    public required string Image { get; init; }

    /// <summary>Pull before every launch.</summary>
    [JsonPropertyName("forcePullImage")]
    [Id(1)]
    public bool ForcePullImage { get; init; }

    /// <summary>Always false (privileged containers are refused).</summary>
    [JsonPropertyName("privileged")]
    [Id(2)]
    public bool Privileged { get; init; }

    /// <summary>Always HOST.</summary>
    [JsonPropertyName("network")]
    [Id(3)]
    public string Network { get; init; } = "HOST";
}

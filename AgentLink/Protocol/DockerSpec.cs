using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.AgentLink;

/// <summary>A Docker container for the task (host networking).</summary>
[GenerateSerializer]
[Alias("dcos.DockerSpec")]
public sealed record DockerSpec(
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("force_pull_image")] bool ForcePullImage = false,
    [property: JsonPropertyName("volumes")] IReadOnlyList<VolumeSpec>? Volumes = null);

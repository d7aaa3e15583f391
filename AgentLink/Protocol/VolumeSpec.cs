using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.AgentLink;

/// <summary>A host path mounted into a Docker container.</summary>
[GenerateSerializer]
[Alias("dcos.VolumeSpec")]
public sealed record VolumeSpec(
    [property: JsonPropertyName("host_path")] string HostPath,
    [property: JsonPropertyName("container_path")] string ContainerPath,
    [property: JsonPropertyName("mode")] string Mode = "RW");

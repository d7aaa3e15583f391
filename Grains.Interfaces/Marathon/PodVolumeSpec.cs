using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A pod volume: ephemeral (a directory the pod's containers share for the life of the instance) or a host path.</summary>
[GenerateSerializer]
[Alias("dcos.PodVolumeSpec")]
public sealed record PodVolumeSpec(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("host")] string? Host = null);

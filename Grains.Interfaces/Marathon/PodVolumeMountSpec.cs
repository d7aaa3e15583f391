using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A container's mount of a pod volume at <see cref="MountPath"/> (relative to its sandbox for a container without image).</summary>
[GenerateSerializer]
[Alias("dcos.PodVolumeMountSpec")]
public sealed record PodVolumeMountSpec(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("mountPath")] string MountPath,
    [property: JsonPropertyName("readOnly")] bool ReadOnly = false);

using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// A pod volume: ephemeral (a directory the pod's containers share for the life of the instance), a host path, or a
/// local persistent volume of <see cref="PersistentSize"/> MiB (the pod is then resident, as an app with one is).
/// </summary>
[GenerateSerializer]
[Alias("dcos.PodVolumeSpec")]
public sealed record PodVolumeSpec(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("host")] string? Host = null,
    [property: JsonPropertyName("persistentSize")] double? PersistentSize = null);

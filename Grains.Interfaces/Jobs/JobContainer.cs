using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Jobs;

/// <summary>A job's container (Chronos' <c>container</c>): DOCKER with a local image, or MESOS (the task runs as a process).</summary>
[GenerateSerializer]
[Alias("dcos.JobContainer")]
public sealed record JobContainer(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("image"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Image = null,
    [property: JsonPropertyName("network")] string Network = "HOST",
    [property: JsonPropertyName("forcePullImage")] bool ForcePullImage = false,
    [property: JsonPropertyName("volumes")] IReadOnlyList<JobVolume>? Volumes = null);

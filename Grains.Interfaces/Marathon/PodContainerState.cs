using System.Text.Json.Serialization;
using Orleans;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Marathon;

/// <summary>Where one container (task) of a pod instance is: its state, health and when it last changed.</summary>
[GenerateSerializer]
[Alias("dcos.PodContainerState")]
public sealed record PodContainerState(
    [property: JsonPropertyName("state")] TaskState State,
    [property: JsonPropertyName("healthy")] bool? Healthy = null,
    [property: JsonPropertyName("since")] string? Since = null,
    [property: JsonPropertyName("message")] string? Message = null);

using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>One container of a pod: its resources, command or image, environment, mounts, endpoints and health check.</summary>
[GenerateSerializer]
[Alias("dcos.PodContainerSpec")]
public sealed record PodContainerSpec(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("cpus")] double Cpus,
    [property: JsonPropertyName("mem")] double Mem,
    [property: JsonPropertyName("disk")] double Disk = 0,
    [property: JsonPropertyName("gpus")] int Gpus = 0,
    [property: JsonPropertyName("shell")] string? Shell = null,
    [property: JsonPropertyName("image")] string? Image = null,
    [property: JsonPropertyName("forcePull")] bool ForcePull = false,
    [property: JsonPropertyName("environment")] IReadOnlyDictionary<string, string>? Environment = null,
    [property: JsonPropertyName("volumeMounts")] IReadOnlyList<PodVolumeMountSpec>? VolumeMounts = null,
    [property: JsonPropertyName("endpoints")] IReadOnlyList<PodEndpointSpec>? Endpoints = null,
    [property: JsonPropertyName("healthCheck")] PodHealthCheckSpec? HealthCheck = null,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string>? Labels = null,
    [property: JsonPropertyName("killGracePeriodSeconds")] double? KillGracePeriodSeconds = null);

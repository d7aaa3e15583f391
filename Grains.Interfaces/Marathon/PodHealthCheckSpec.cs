using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A container's health check, run by the agent: HTTP or TCP on one of its endpoints, or a command.</summary>
[GenerateSerializer]
[Alias("dcos.PodHealthCheckSpec")]
public sealed record PodHealthCheckSpec(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("endpoint")] string? Endpoint = null,
    [property: JsonPropertyName("path")] string? Path = null,
    [property: JsonPropertyName("command")] string? Command = null,
    [property: JsonPropertyName("gracePeriodSeconds")] double GracePeriodSeconds = 300,
    [property: JsonPropertyName("intervalSeconds")] double IntervalSeconds = 60,
    [property: JsonPropertyName("maxConsecutiveFailures")] int MaxConsecutiveFailures = 3,
    [property: JsonPropertyName("timeoutSeconds")] double TimeoutSeconds = 20,
    [property: JsonPropertyName("delaySeconds")] double DelaySeconds = 2);

using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A task's health check result, as Marathon 1.10 writes <c>healthCheckResults[]</c>.</summary>
[GenerateSerializer]
[Alias("dcos.MarathonHealthCheckResult")]
public sealed record MarathonHealthCheckResult(
    [property: JsonPropertyName("alive")] bool Alive,
    [property: JsonPropertyName("taskId")] string TaskId,
    [property: JsonPropertyName("instanceId")] string? InstanceId = null,
    [property: JsonPropertyName("consecutiveFailures")] int ConsecutiveFailures = 0,
    [property: JsonPropertyName("firstSuccess")] string? FirstSuccess = null,
    [property: JsonPropertyName("lastSuccess")] string? LastSuccess = null,
    [property: JsonPropertyName("lastFailure")] string? LastFailure = null,
    [property: JsonPropertyName("lastFailureCause")] string? LastFailureCause = null);

using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>An instance's readiness in a deployment (<c>readinessCheckResults</c>); <see cref="LastResponse"/> only when the check preserves it.</summary>
[GenerateSerializer]
[Alias("dcos.ReadinessCheckResult")]
public sealed record ReadinessCheckResult(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("taskId")] string TaskId,
    [property: JsonPropertyName("ready")] bool Ready,
    [property: JsonPropertyName("lastResponse")] ReadinessResponse? LastResponse,
    [property: JsonPropertyName("message")] string Message);

using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// An instance's health history as Marathon keeps it for <c>healthCheckResults</c>: when it was first and last healthy,
/// when it last failed and why, and the unhealthy reports since it was last healthy (as Marathon counts for Mesos
/// health checks: the agent reports changes, so each unhealthy report is one failure).
/// </summary>
[GenerateSerializer]
[Alias("dcos.InstanceHealth")]
public sealed record InstanceHealth(
    [property: JsonPropertyName("firstSuccess")] string? FirstSuccess,
    [property: JsonPropertyName("lastSuccess")] string? LastSuccess,
    [property: JsonPropertyName("lastFailure")] string? LastFailure,
    [property: JsonPropertyName("lastFailureCause")] string? LastFailureCause,
    [property: JsonPropertyName("consecutiveFailures")] int ConsecutiveFailures)
{
    /// <summary>The history after a report of <paramref name="healthy"/> at <paramref name="at"/> (Marathon's timestamp) saying <paramref name="message"/>.</summary>
    public static InstanceHealth After(InstanceHealth? before, bool healthy, string at, string? message) => healthy
        ? new InstanceHealth(before?.FirstSuccess ?? at, at, before?.LastFailure, before?.LastFailureCause, 0)
        : new InstanceHealth(before?.FirstSuccess, before?.LastSuccess, at, message ?? "unhealthy", (before?.ConsecutiveFailures ?? 0) + 1);
}

using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.AgentLink;

/// <summary>An agent-side health check (Marathon's fields; protocol HTTP, HTTPS, TCP or COMMAND).</summary>
[GenerateSerializer]
[Alias("dcos.HealthCheckSpecDto")]
public sealed record HealthCheckSpecDto(
    [property: JsonPropertyName("protocol")] string Protocol,
    [property: JsonPropertyName("port_index")] int? PortIndex = null,
    [property: JsonPropertyName("port")] int? Port = null,
    [property: JsonPropertyName("path")] string? Path = null,
    [property: JsonPropertyName("command")] string? Command = null,
    [property: JsonPropertyName("grace_period_seconds")] double? GracePeriodSeconds = null,
    [property: JsonPropertyName("interval_seconds")] double? IntervalSeconds = null,
    [property: JsonPropertyName("timeout_seconds")] double? TimeoutSeconds = null,
    [property: JsonPropertyName("max_consecutive_failures")] int? MaxConsecutiveFailures = null,
    [property: JsonPropertyName("delay_seconds")] double? DelaySeconds = null,
    [property: JsonPropertyName("kill_on_failure")] bool KillOnFailure = true);

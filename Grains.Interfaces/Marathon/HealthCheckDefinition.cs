using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A health check (run by the agent next to the task).</summary>
[GenerateSerializer]
[Alias("dcos.HealthCheckDefinition")]
public sealed record HealthCheckDefinition
{
    /// <summary>HTTP, HTTPS, TCP, COMMAND, MESOS_HTTP, MESOS_HTTPS or MESOS_TCP.</summary>
    [JsonPropertyName("protocol")]
    [Id(0)]
    public string Protocol { get; init; } = "HTTP";

    /// <summary>HTTP path.</summary>
    [JsonPropertyName("path")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(1)]
    public string? Path { get; init; }

    /// <summary>Index into the task's ports.</summary>
    [JsonPropertyName("portIndex")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(2)]
    public int? PortIndex { get; init; }

    /// <summary>A fixed port instead of <see cref="PortIndex"/>.</summary>
    [JsonPropertyName("port")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(3)]
    public int? Port { get; init; }

    /// <summary>COMMAND checks: the command.</summary>
    [JsonPropertyName("command")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(4)]
    public HealthCheckCommand? Command { get; init; }

    /// <summary>Failures are ignored this long after start until the first success.</summary>
    [JsonPropertyName("gracePeriodSeconds")]
    [Id(5)]
    public double GracePeriodSeconds { get; init; } = 300;

    /// <summary>Seconds between checks.</summary>
    [JsonPropertyName("intervalSeconds")]
    [Id(6)]
    public double IntervalSeconds { get; init; } = 60;

    /// <summary>A check slower than this fails.</summary>
    [JsonPropertyName("timeoutSeconds")]
    [Id(7)]
    public double TimeoutSeconds { get; init; } = 20;

    /// <summary>Consecutive failures after which the task is killed (0 = never).</summary>
    [JsonPropertyName("maxConsecutiveFailures")]
    [Id(8)]
    public int MaxConsecutiveFailures { get; init; } = 3;

    /// <summary>Seconds before the first check.</summary>
    [JsonPropertyName("delaySeconds")]
    [Id(9)]
    public double DelaySeconds { get; init; } = 15;

    /// <summary>Accepted for compatibility (1xx answers are never healthy here).</summary>
    [JsonPropertyName("ignoreHttp1xx")]
    [Id(10)]
    public bool IgnoreHttp1xx { get; init; }
}

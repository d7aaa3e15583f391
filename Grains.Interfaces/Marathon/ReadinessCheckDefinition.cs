using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A readiness check: HTTP GETs on a named port until one answers with a ready status.</summary>
[GenerateSerializer]
[Alias("dcos.ReadinessCheckDefinition")]
public sealed record ReadinessCheckDefinition
{
    /// <summary>Name.</summary>
    [JsonPropertyName("name")]
    [Id(0)]
    public string Name { get; init; } = "readinessCheck";

    /// <summary>HTTP or HTTPS.</summary>
    [JsonPropertyName("protocol")]
    [Id(1)]
    public string Protocol { get; init; } = "HTTP";

    /// <summary>Path.</summary>
    [JsonPropertyName("path")]
    [Id(2)]
    public string Path { get; init; } = "/";

    /// <summary>Name of one of the app's ports.</summary>
    [JsonPropertyName("portName")]
    [Id(3)]
    public string PortName { get; init; } = "http-api";

    /// <summary>Seconds between checks.</summary>
    [JsonPropertyName("intervalSeconds")]
    [Id(4)]
    public double IntervalSeconds { get; init; } = 30;

    /// <summary>A check slower than this fails.</summary>
    [JsonPropertyName("timeoutSeconds")]
    [Id(5)]
    public double TimeoutSeconds { get; init; } = 10;

    /// <summary>Statuses that mean ready.</summary>
    [JsonPropertyName("httpStatusCodesForReady")]
    [Id(6)]
    public IReadOnlyList<int> HttpStatusCodesForReady { get; init; } = [200];

    /// <summary>Keep the last response in the deployment's readiness results.</summary>
    [JsonPropertyName("preserveLastResponse")]
    [Id(7)]
    public bool PreserveLastResponse { get; init; }
}

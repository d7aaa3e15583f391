using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A task as Marathon's API shows it (<c>/v2/tasks</c>, <c>/v2/apps/{id}/tasks</c>, embedded in apps).</summary>
[GenerateSerializer]
[Alias("dcos.MarathonTask")]
public sealed record MarathonTask(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("ports")] IReadOnlyList<int> Ports,
    [property: JsonPropertyName("servicePorts")] IReadOnlyList<int> ServicePorts,
    [property: JsonPropertyName("slaveId")] string SlaveId,
    [property: JsonPropertyName("stagedAt")] string StagedAt,
    [property: JsonPropertyName("startedAt")] string? StartedAt,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("ipAddresses")] IReadOnlyList<MarathonIpAddress> IpAddresses,
    [property: JsonPropertyName("healthCheckResults")] IReadOnlyList<MarathonHealthCheckResult> HealthCheckResults,
    [property: JsonPropertyName("region"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Region = null,
    [property: JsonPropertyName("zone"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Zone = null);

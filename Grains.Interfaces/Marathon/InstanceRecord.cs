using System.Text.Json.Serialization;
using Orleans;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Grains.Marathon;

/// <summary>One instance of an app (its task) or of a pod (a task group: <see cref="TaskId"/> is the instance id, <see cref="Containers"/> its tasks), as Marathon keeps it.</summary>
[GenerateSerializer]
[Alias("dcos.InstanceRecord")]
public sealed record InstanceRecord(
    [property: JsonPropertyName("id")] string TaskId,
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("slaveId")] string AgentId,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("ports")] IReadOnlyList<int> Ports,
    [property: JsonPropertyName("servicePorts")] IReadOnlyList<int> ServicePorts,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("configVersion")] string ConfigVersion,
    [property: JsonPropertyName("stagedAt")] string StagedAt,
    [property: JsonPropertyName("startedAt")] string? StartedAt,
    [property: JsonPropertyName("state")] TaskState State,
    [property: JsonPropertyName("healthy")] bool? Healthy,
    [property: JsonPropertyName("killing")] bool Killing,
    [property: JsonPropertyName("attributes")] string Attributes,
    [property: JsonPropertyName("resources")] Resources Resources,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("hostIp")] string? HostIp = null,
    [property: JsonPropertyName("health")] InstanceHealth? Health = null,
    [property: JsonPropertyName("region")] string? Region = null,
    [property: JsonPropertyName("zone")] string? Zone = null,
    [property: JsonPropertyName("reservationId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReservationId = null,
    [property: JsonPropertyName("containers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, PodContainerState>? Containers = null);

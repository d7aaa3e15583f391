using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>A framework as it subscribes (Mesos <c>FrameworkInfo</c>): no id on first subscription, its id to fail over.</summary>
[GenerateSerializer]
[Alias("dcos.FrameworkInfo")]
public sealed record FrameworkInfo(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("user")] string User = "",
    [property: JsonPropertyName("roles")] IReadOnlyList<string>? Roles = null,
    [property: JsonPropertyName("principal")] string? Principal = null,
    [property: JsonPropertyName("failover_timeout")] double FailoverTimeoutSeconds = 0,
    [property: JsonPropertyName("capabilities")] IReadOnlyList<string>? Capabilities = null,
    [property: JsonPropertyName("hostname")] string? Hostname = null,
    [property: JsonPropertyName("webui_url")] string? WebuiUrl = null)
{
    /// <summary>The roles, <c>*</c> when none is named.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> EffectiveRoles => Roles is { Count: > 0 } ? Roles : ["*"];

    /// <summary>True when the framework understands UNREACHABLE/GONE (capability <c>PARTITION_AWARE</c>); others are told LOST.</summary>
    [JsonIgnore]
    public bool PartitionAware => Capabilities?.Contains("PARTITION_AWARE") == true;

    /// <summary>It declared GPU_RESOURCES: it may be offered agents that have GPUs.</summary>
    [JsonIgnore]
    public bool GpuAware => Capabilities?.Contains("GPU_RESOURCES") == true;
}

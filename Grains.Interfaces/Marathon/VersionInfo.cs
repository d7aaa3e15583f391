using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>When an app was last scaled and last changed otherwise.</summary>
[GenerateSerializer]
[Alias("dcos.VersionInfo")]
public sealed record VersionInfo(
    [property: JsonPropertyName("lastScalingAt")] string LastScalingAt,
    [property: JsonPropertyName("lastConfigChangeAt")] string LastConfigChangeAt);

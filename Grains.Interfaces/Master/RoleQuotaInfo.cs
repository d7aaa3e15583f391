using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>A role's quota: guaranteed and limited scalars in Mesos syntax (<c>cpus:4;mem:1024</c>).</summary>
[GenerateSerializer]
[Alias("dcos.RoleQuotaInfo")]
public sealed record RoleQuotaInfo(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("guarantee")] string Guarantee,
    [property: JsonPropertyName("limit")] string Limit);

using System.Text.Json.Serialization;
using Orleans;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Grains.Master;

/// <summary>A role's quota: guaranteed and limited scalars (<c>cpus:4;mem:1024</c>; in JSON as that text).</summary>
[GenerateSerializer]
[Alias("dcos.RoleQuotaInfo")]
public sealed record RoleQuotaInfo(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("guarantee")] Resources Guarantee,
    [property: JsonPropertyName("limit")] Resources Limit);

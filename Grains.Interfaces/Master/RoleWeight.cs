using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>A role's weight.</summary>
[GenerateSerializer]
[Alias("dcos.RoleWeight")]
public sealed record RoleWeight(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("weight")] double Weight);

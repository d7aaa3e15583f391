using System.Text.Json.Serialization;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Master;

/// <summary>A role's weight.</summary>
[GenerateSerializer]
[Alias("dcos.RoleWeight")]
public sealed record RoleWeight(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("weight")] double Weight);

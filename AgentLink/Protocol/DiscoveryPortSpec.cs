using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.AgentLink;

/// <summary>A task port as Mesos' <c>DiscoveryInfo.ports</c> names it: number, name and protocol (<c>tcp</c>, <c>udp</c>, <c>udp,tcp</c>).</summary>
[GenerateSerializer]
[Alias("dcos.DiscoveryPortSpec")]
public sealed record DiscoveryPortSpec(
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null,
    [property: JsonPropertyName("protocol"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Protocol = null);

using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>An address of a task.</summary>
[GenerateSerializer]
[Alias("dcos.MarathonIpAddress")]
public sealed record MarathonIpAddress(
    [property: JsonPropertyName("ipAddress")] string IpAddress,
    [property: JsonPropertyName("protocol")] string Protocol);

using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A container's endpoint: a named host port (0: one from the offer), its protocols and labels.</summary>
[GenerateSerializer]
[Alias("dcos.PodEndpointSpec")]
public sealed record PodEndpointSpec(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("hostPort")] int HostPort = 0,
    [property: JsonPropertyName("protocol")] IReadOnlyList<string>? Protocol = null,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string>? Labels = null);

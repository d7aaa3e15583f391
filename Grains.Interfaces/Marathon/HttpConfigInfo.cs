using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>The HTTP endpoints the silo listens on.</summary>
[GenerateSerializer]
[Alias("dcos.HttpConfigInfo")]
public sealed record HttpConfigInfo(
    [property: JsonPropertyName("http_port")] int? HttpPort,
    [property: JsonPropertyName("urls")] IReadOnlyList<string> Urls,
    [property: JsonPropertyName("https_port")] int? HttpsPort = null);

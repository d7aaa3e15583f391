using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// The answer of <c>GET /v2/info</c>: Marathon's shape (name, version, leader, framework id)
/// plus the silo's own settings under <c>silo_config</c>.
/// </summary>
[GenerateSerializer]
[Alias("dcos.MarathonInfo")]
public sealed record MarathonInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("buildref")] string Buildref,
    [property: JsonPropertyName("elected")] bool Elected,
    [property: JsonPropertyName("leader")] string? Leader,
    [property: JsonPropertyName("frameworkId")] string? FrameworkId,
    [property: JsonPropertyName("http_config")] HttpConfigInfo HttpConfig,
    [property: JsonPropertyName("silo_config")] SiloConfigInfo SiloConfig);

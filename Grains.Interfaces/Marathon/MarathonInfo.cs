using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// The answer of <c>GET /v2/info</c> in Marathon 1.10's shape (name, a Marathon version, leader, framework id,
/// <c>marathon_config</c>, <c>zookeeper_config</c>, <c>http_config</c>) plus, as additions, this product's version and the
/// silo's own settings under <c>silo_config</c>.
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
    [property: JsonPropertyName("silo_config")] SiloConfigInfo SiloConfig,
    [property: JsonPropertyName("marathon_config")] MarathonConfigInfo? MarathonConfig = null,
    [property: JsonPropertyName("zookeeper_config")] ZookeeperConfigInfo? ZookeeperConfig = null,
    [property: JsonPropertyName("orleansdcos_version")] string? ProductVersion = null)
{
    /// <summary>The Marathon API version this product answers as (version-gated clients compare against it).</summary>
    public const string MarathonVersion = "1.10.0";
}

using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>The silo's identity and mode.</summary>
[GenerateSerializer]
[Alias("dcos.SiloConfigInfo")]
public sealed record SiloConfigInfo(
    [property: JsonPropertyName("cluster_id")] string ClusterId,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("storage")] string Storage);

using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// <c>/v2/info</c>'s <c>zookeeper_config</c>, kept for clients that read it: there is no ZooKeeper (state lives in the
/// silos' database), so <c>zk</c> names that store and the numbers are what they stand for here (versions kept per
/// app, request timeouts).
/// </summary>
[GenerateSerializer]
[Alias("dcos.ZookeeperConfigInfo")]
public sealed record ZookeeperConfigInfo(
    [property: JsonPropertyName("zk")] string Zk,
    [property: JsonPropertyName("zk_compression")] bool Compression,
    [property: JsonPropertyName("zk_compression_threshold")] int CompressionThreshold,
    [property: JsonPropertyName("zk_connection_timeout")] int ConnectionTimeout,
    [property: JsonPropertyName("zk_max_node_size")] int MaxNodeSize,
    [property: JsonPropertyName("zk_max_versions")] int MaxVersions,
    [property: JsonPropertyName("zk_session_timeout")] int SessionTimeout,
    [property: JsonPropertyName("zk_timeout")] int Timeout);

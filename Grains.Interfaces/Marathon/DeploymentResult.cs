using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>The answer of a change: <c>{deploymentId, version}</c>.</summary>
[GenerateSerializer]
[Alias("dcos.DeploymentResult")]
public sealed record DeploymentResult(
    [property: JsonPropertyName("deploymentId")] string DeploymentId,
    [property: JsonPropertyName("version")] string Version);

using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A step of a deployment.</summary>
[GenerateSerializer]
[Alias("dcos.DeploymentStepInfo")]
public sealed record DeploymentStepInfo([property: JsonPropertyName("actions")] IReadOnlyList<DeploymentActionInfo> Actions);

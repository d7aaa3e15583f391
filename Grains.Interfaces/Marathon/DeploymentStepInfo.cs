using System.Text.Json.Serialization;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A step of a deployment.</summary>
[GenerateSerializer]
[Alias("dcos.DeploymentStepInfo")]
public sealed record DeploymentStepInfo([property: JsonPropertyName("actions")] IReadOnlyList<DeploymentActionInfo> Actions);

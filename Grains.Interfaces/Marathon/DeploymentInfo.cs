using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A deployment as <c>/v2/deployments</c> shows it.</summary>
[GenerateSerializer]
[Alias("dcos.DeploymentInfo")]
public sealed record DeploymentInfo(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("affectedApps")] IReadOnlyList<string> AffectedApps,
    [property: JsonPropertyName("affectedPods")] IReadOnlyList<string> AffectedPods,
    [property: JsonPropertyName("steps")] IReadOnlyList<DeploymentStepInfo> Steps,
    [property: JsonPropertyName("currentActions")] IReadOnlyList<DeploymentActionInfo> CurrentActions,
    [property: JsonPropertyName("currentStep")] int CurrentStep,
    [property: JsonPropertyName("totalSteps")] int TotalSteps);

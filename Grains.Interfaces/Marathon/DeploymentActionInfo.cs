using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>An action; in <c>currentActions</c> also why it does not progress, when it does not.</summary>
[GenerateSerializer]
[Alias("dcos.DeploymentActionInfo")]
public sealed record DeploymentActionInfo(
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("app")] string App,
    [property: JsonPropertyName("blockedBy"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BlockedBy = null,
    [property: JsonPropertyName("readinessCheckResults"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ReadinessCheckResult>? ReadinessCheckResults = null);

using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>Capacity bounds of a rolling restart, as fractions of instances.</summary>
[GenerateSerializer]
[Alias("dcos.UpgradeStrategyDefinition")]
public sealed record UpgradeStrategyDefinition
{
    /// <summary>At least ceil(this × instances) healthy instances stay up.</summary>
    [JsonPropertyName("minimumHealthCapacity")]
    [Id(0)]
    public double MinimumHealthCapacity { get; init; } = 1;

    /// <summary>At most ceil((1 + this) × instances) instances live at once.</summary>
    [JsonPropertyName("maximumOverCapacity")]
    [Id(1)]
    public double MaximumOverCapacity { get; init; } = 1;
}

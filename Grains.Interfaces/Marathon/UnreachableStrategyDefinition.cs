using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>When instances on an unreachable agent are replaced and when they are forgotten (Marathon's defaults for tasks without persistent volumes: 5 and 10 minutes).</summary>
[GenerateSerializer]
[Alias("dcos.UnreachableStrategyDefinition")]
public sealed record UnreachableStrategyDefinition
{
    /// <summary>Marathon's default <see cref="InactiveAfterSeconds"/>.</summary>
    public const double DefaultInactiveAfterSeconds = 300;

    /// <summary>Marathon's default <see cref="ExpungeAfterSeconds"/>.</summary>
    public const double DefaultExpungeAfterSeconds = 600;

    /// <summary>Seconds unreachable after which a replacement is launched.</summary>
    [JsonPropertyName("inactiveAfterSeconds")]
    [Id(0)]
    public double InactiveAfterSeconds { get; init; } = DefaultInactiveAfterSeconds;

    /// <summary>Seconds unreachable after which the instance is expunged (killed if it comes back).</summary>
    [JsonPropertyName("expungeAfterSeconds")]
    [Id(1)]
    public double ExpungeAfterSeconds { get; init; } = DefaultExpungeAfterSeconds;
}

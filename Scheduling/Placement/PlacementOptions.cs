namespace OrleansDcos.Scheduling.Placement;

/// <summary>Settings of the placement engine.</summary>
public sealed record PlacementOptions
{
    /// <summary>Spread (default) or bin-pack.</summary>
    public PlacementStrategy Strategy { get; init; } = PlacementStrategy.Spread;

    /// <summary>
    /// How many feasible agents to compare before choosing (Nomad's limit; "power of two choices"
    /// by default). Larger is closer to the optimum and slower. At least 1.
    /// </summary>
    public int CandidateLimit { get; init; } = 2;
}

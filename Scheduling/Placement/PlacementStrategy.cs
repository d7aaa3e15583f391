namespace OrleansDcos.Scheduling.Placement;

/// <summary>How to choose among agents that can take a task.</summary>
public enum PlacementStrategy
{
    /// <summary>Prefer the least utilized candidate: spreads load and blast radius.</summary>
    Spread,

    /// <summary>Prefer the most utilized candidate that still fits: keeps whole agents free.</summary>
    BinPack,
}

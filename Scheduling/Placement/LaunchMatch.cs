using System.Globalization;

namespace OrleansDcos.Scheduling.Placement;

/// <summary>What one round of offers gives a queued group: its assignments, and why the rest could not be placed.</summary>
/// <param name="GroupId">The group (app id).</param>
/// <param name="Wanted">Instances it asked for.</param>
/// <param name="Placement">Where they go, and the agents' rejections of what did not fit.</param>
/// <param name="OfferedAgents">How many agents the round offered.</param>
public sealed record LaunchMatch(string GroupId, int Wanted, PlacementResult Placement, int OfferedAgents)
{
    /// <summary>
    /// Why some instances were not placed, in one line an operator can act on (<c>/v2/queue</c>'s <c>lastReason</c>,
    /// a deployment's <c>blockedBy</c>), or null when every one was.
    /// </summary>
    public string? Problem => Placement.Unplaced == 0
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"{Placement.Unplaced} of {Wanted} instance(s) could not be placed on {OfferedAgents} offered agent(s): ")
            + (Placement.Rejections.Total == 0 ? "no agent offered resources in an accepted role" : Placement.Rejections.ToString());
}

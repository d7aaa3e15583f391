namespace OrleansDcos.Scheduling.Placement;

/// <summary>
/// Marathon's reject summary (<c>/v2/queue</c>'s <c>rejectSummaryLastOffers</c> and <c>rejectSummaryLaunchAttempt</c>):
/// each offer not used is counted once, under the first reason of Marathon's funnel it fails (role, constraint,
/// reservation, then cpus, memory, disk, gpus, ports); every reason is listed in that order with the offers it
/// declined and the offers that reached it. Placement's own reasons map onto Marathon's names here.
/// </summary>
public static class OfferRejectFunnel
{
    /// <summary>Marathon's reasons, in the order an offer meets them.</summary>
    public static readonly IReadOnlyList<string> Reasons =
        ["UnfulfilledRole", "UnfulfilledConstraint", "NoCorrespondingReservationFound", "InsufficientCpus", "InsufficientMemory", "InsufficientDisk", "InsufficientGpus", "InsufficientPorts", "DeclinedScarceResources"];

    /// <summary>Marathon's reason for a placement rejection, or null for one Marathon has no name for (another scalar resource).</summary>
    public static string? ReasonOf(string rejection) => rejection switch
    {
        RejectReasons.InsufficientCpus => "InsufficientCpus",
        RejectReasons.InsufficientMem => "InsufficientMemory",
        RejectReasons.InsufficientDisk => "InsufficientDisk",
        RejectReasons.InsufficientGpus => "InsufficientGpus",
        RejectReasons.InsufficientPorts or RejectReasons.RequiredPortsUnavailable => "InsufficientPorts",
        RejectReasons.DeclinedScarceResources => "DeclinedScarceResources",
        _ when rejection.StartsWith("constraint ", StringComparison.Ordinal) => "UnfulfilledConstraint",
        _ => null,
    };

    /// <summary>
    /// The funnel of <paramref name="offers"/> offers with <paramref name="rejections"/> (placement reasons and how many
    /// offers each rejected; what fails only unnamed reasons, and offers not rejected, pass every stage).
    /// </summary>
    public static IReadOnlyList<(string Reason, int Declined, int Processed)> Summarize(IReadOnlyDictionary<string, int> rejections, int offers)
    {
        var declined = Reasons.ToDictionary(r => r, _ => 0, StringComparer.Ordinal);
        foreach (var (rejection, count) in rejections)
        {
            if (ReasonOf(rejection) is { } reason)
            {
                declined[reason] += count;
            }
        }

        var result = new List<(string, int, int)>(Reasons.Count);
        var reaching = offers;
        foreach (var reason in Reasons)
        {
            result.Add((reason, declined[reason], reaching));
            reaching = Math.Max(0, reaching - declined[reason]);
        }

        return result;
    }
}

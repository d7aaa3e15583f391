using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// What the scheduler must launch for an app, and where its instances already are (for constraints); for a resident
/// app, its reservations that no live task uses (a launch takes one of them before a new one is made) and those to release.
/// </summary>
[GenerateSerializer]
[Alias("dcos.LaunchQueueEntry")]
public sealed record LaunchQueueEntry(
    string AppId,
    long Sequence,
    AppDefinition? Definition,
    int Count,
    DateTimeOffset? DelayUntil,
    IReadOnlyList<InstancePlacement> Placements,
    IReadOnlyList<ResidentReservation>? Reservations = null)
{
    /// <summary>True while the app's launch backoff holds its launches back at <paramref name="now"/>.</summary>
    public bool DelayedAt(DateTimeOffset now) => DelayUntil is { } until && until > now;
}

using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>What the scheduler must launch for an app, and where its instances already are (for constraints).</summary>
[GenerateSerializer]
[Alias("dcos.LaunchQueueEntry")]
public sealed record LaunchQueueEntry(
    string AppId,
    long Sequence,
    AppDefinition? Definition,
    int Count,
    DateTimeOffset? DelayUntil,
    IReadOnlyList<InstancePlacement> Placements)
{
    /// <summary>True while the app's launch backoff holds its launches back at <paramref name="now"/>.</summary>
    public bool DelayedAt(DateTimeOffset now) => DelayUntil is { } until && until > now;
}

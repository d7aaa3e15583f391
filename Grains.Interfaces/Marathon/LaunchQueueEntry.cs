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
    double DelayUntil,
    IReadOnlyList<InstancePlacement> Placements);

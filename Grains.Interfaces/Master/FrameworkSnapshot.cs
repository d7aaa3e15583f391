using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>The master's view of one framework (operator API, <c>/master/frameworks</c>).</summary>
[GenerateSerializer]
[Alias("dcos.FrameworkSnapshot")]
public sealed record FrameworkSnapshot(
    FrameworkInfo Info,
    bool Active,
    bool Connected,
    bool Removed,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? DisconnectedAt,
    IReadOnlyList<FrameworkTask> Tasks,
    IReadOnlyList<OfferInfo> Offers);

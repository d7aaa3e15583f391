using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>What a subscription's stream receives when it polls: the events after its cursor; <see cref="Closed"/> ends the stream.</summary>
[GenerateSerializer]
[Alias("dcos.FrameworkEventBatch")]
public sealed record FrameworkEventBatch(long Cursor, IReadOnlyList<FrameworkEvent> Events, bool Closed);

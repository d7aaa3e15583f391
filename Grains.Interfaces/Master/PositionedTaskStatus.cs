using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>A task status event with its position in the durable stream (resume after it with that position).</summary>
[GenerateSerializer]
[Alias("dcos.PositionedTaskStatus")]
[Immutable]
public sealed record PositionedTaskStatus(long Position, TaskStatusEvent Event);

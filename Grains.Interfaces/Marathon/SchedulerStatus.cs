using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>The scheduler's framework status.</summary>
[GenerateSerializer]
[Alias("dcos.SchedulerStatus")]
public sealed record SchedulerStatus(string FrameworkId, bool Subscribed);

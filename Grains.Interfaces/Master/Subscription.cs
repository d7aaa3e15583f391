using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>The answer to SUBSCRIBE: the framework's id and the stream the events flow on.</summary>
[GenerateSerializer]
[Alias("dcos.Subscription")]
public sealed record Subscription(string FrameworkId, Guid StreamId, TimeSpan HeartbeatInterval);

using Orleans;
using OrleansDcos.AgentLink;

namespace OrleansDcos.Grains.Master;

/// <summary>One operation of an ACCEPT: <c>LAUNCH</c> (independent tasks) or <c>LAUNCH_GROUP</c> (a task group, all or none).</summary>
[GenerateSerializer]
[Alias("dcos.OfferOperation")]
public sealed record OfferOperation(string Type, IReadOnlyList<TaskSpec> Tasks);

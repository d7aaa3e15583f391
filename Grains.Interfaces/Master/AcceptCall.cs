using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>ACCEPT: use <see cref="OfferIds"/> (all on one agent) for <see cref="Operations"/>; what is left is filtered for <see cref="Refuse"/> (Mesos' <c>filters.refuse_seconds</c>).</summary>
[GenerateSerializer]
[Alias("dcos.AcceptCall")]
public sealed record AcceptCall(IReadOnlyList<string> OfferIds, IReadOnlyList<OfferOperation> Operations, TimeSpan? Refuse = null);

using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>A secret as the store keeps it: the sealed value (<c>v1.{keyId}.…</c>) and its times.</summary>
[GenerateSerializer]
[Alias("dcos.StoredSecret")]
public sealed record StoredSecret([property: Id(0)] string Sealed, [property: Id(1)] DateTimeOffset Created, [property: Id(2)] DateTimeOffset Updated);

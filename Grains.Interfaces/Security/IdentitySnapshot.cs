using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>Every identity and the key the cluster signs its tokens with, at <see cref="Version"/> (each silo caches one and asks for newer ones).</summary>
[GenerateSerializer]
[Alias("dcos.IdentitySnapshot")]
public sealed record IdentitySnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] byte[] SigningKey,
    [property: Id(2)] IReadOnlyList<IdentityRecord> Identities);

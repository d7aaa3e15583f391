using Orleans;
using OrleansDcos.Grains.Security;

namespace OrleansDcos.Grains.Security;

/// <summary>The identities grain's saved state.</summary>
[GenerateSerializer]
[Alias("dcos.IdentitiesState")]
public sealed class IdentitiesState
{
    /// <summary>Bumped by every change (silos compare it to what they cached).</summary>
    [Id(0)]
    public long Version { get; set; }

    /// <summary>The HMAC-SHA256 key of the cluster's tokens (made at first activation).</summary>
    [Id(1)]
    public byte[] SigningKey { get; set; } = [];

    /// <summary>Identities by uid.</summary>
    [Id(2)]
    public Dictionary<string, IdentityRecord> Identities { get; set; } = new(StringComparer.Ordinal);
}

using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>
/// A user or service account: its name, how it proves itself (a password's slow hash, or a service account's RSA public
/// key in PEM), whether it may log in, its grants, and the epoch its tokens carry (bumped to revoke every token issued
/// before).
/// </summary>
[GenerateSerializer]
[Alias("dcos.IdentityRecord")]
public sealed record IdentityRecord(
    [property: Id(0)] string Uid,
    [property: Id(1)] string? PasswordHash,
    [property: Id(2)] string? PublicKeyPem,
    [property: Id(3)] string Description,
    [property: Id(4)] bool Enabled,
    [property: Id(5)] IReadOnlyList<GrantRecord> Grants,
    [property: Id(6)] int TokenEpoch)
{
    /// <summary>True for a service account (it logs in with a token signed by its private key).</summary>
    public bool IsService => PublicKeyPem is not null;
}

using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>
/// The cluster's users and service accounts with their grants, and the key tokens are signed with (one grain, key
/// <see cref="Key"/>, kept durably). Passwords arrive already hashed: the slow hash is computed by the silo that took the
/// request, never in this grain's turn.
/// </summary>
[Alias("dcos.IIdentitiesGrain")]
public interface IIdentitiesGrain : IGrainWithStringKey
{
    /// <summary>The grain's key.</summary>
    const string Key = "identities";

    /// <summary>The identities and signing key, or null when <paramref name="knownVersion"/> is still the newest.</summary>
    [Alias("Snapshot")]
    Task<IdentitySnapshot?> Snapshot(long knownVersion);

    /// <summary>Creates the first superuser when there is no identity at all; false (and nothing changed) otherwise.</summary>
    [Alias("Bootstrap")]
    Task<bool> Bootstrap(string uid, string passwordHash);

    /// <summary>Creates an identity (409 when the uid is taken).</summary>
    [Alias("Create")]
    Task<IdentityRecord> Create(string uid, string? passwordHash, string? publicKeyPem, string description);

    /// <summary>Changes an identity's password hash, description or enabled flag (nulls keep what is there); a new password or disabling revokes its tokens.</summary>
    [Alias("Update")]
    Task<IdentityRecord> Update(string uid, string? passwordHash, string? description, bool? enabled);

    /// <summary>Removes an identity (404 when unknown).</summary>
    [Alias("Delete")]
    Task Delete(string uid);

    /// <summary>Adds <paramref name="actions"/> on <paramref name="resource"/> to an identity's grants.</summary>
    [Alias("Grant")]
    Task<IdentityRecord> Grant(string uid, string resource, int actions);

    /// <summary>Takes <paramref name="actions"/> on <paramref name="resource"/> away (the grant goes when no action is left).</summary>
    [Alias("Revoke")]
    Task<IdentityRecord> Revoke(string uid, string resource, int actions);

    /// <summary>Makes every token issued to the identity so far invalid.</summary>
    [Alias("RevokeTokens")]
    Task<IdentityRecord> RevokeTokens(string uid);
}

using Microsoft.IdentityModel.Tokens;
using OrleansDcos.Grains.Security;
using OrleansDcos.Scheduling.Security;

namespace OrleansDcos.Silo.Security;

/// <summary>A silo's copy of the identities: each one's record and grants, and the key tokens are signed with.</summary>
public sealed class IdentityView
{
    /// <summary>A view of <paramref name="snapshot"/>.</summary>
    public IdentityView(IdentitySnapshot snapshot)
    {
        Version = snapshot.Version;
        SigningKey = new SymmetricSecurityKey(snapshot.SigningKey) { KeyId = "cluster" };
        Identities = snapshot.Identities.ToDictionary(i => i.Uid, StringComparer.Ordinal);
        Grants = snapshot.Identities.ToDictionary(
            i => i.Uid,
            i => (IReadOnlyList<Permission>)[.. i.Grants.Select(g => new Permission(g.Resource, (PermissionActions)g.Actions))],
            StringComparer.Ordinal);
    }

    /// <summary>The identities grain's version this view is of.</summary>
    public long Version { get; }

    /// <summary>The key tokens are signed and checked with.</summary>
    public SymmetricSecurityKey SigningKey { get; }

    /// <summary>Identities by uid.</summary>
    public IReadOnlyDictionary<string, IdentityRecord> Identities { get; }

    /// <summary>Each identity's grants.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Permission>> Grants { get; }
}

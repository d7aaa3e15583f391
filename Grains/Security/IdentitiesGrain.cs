using System.Security.Cryptography;
using Orleans;
using Orleans.Runtime;
using OrleansDcos.Grains.Concurrency;
using OrleansDcos.Scheduling.Security;

namespace OrleansDcos.Grains.Security;

/// <summary>
/// The cluster's identities, grants and token signing key in grain state. Every change bumps the version (silos refresh
/// their copy by it) and is written before it is answered.
/// </summary>
public sealed class IdentitiesGrain(
    [PersistentState("identities", "Default")] IPersistentState<IdentitiesState> state) : Grain, IIdentitiesGrain
{
    private IdentitySnapshot? _snapshot;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.SigningKey.Length == 0)
        {
            state.State.SigningKey = RandomNumberGenerator.GetBytes(32);
            state.State.Version++;
            await state.WriteStateAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public Task<IdentitySnapshot?> Snapshot(long knownVersion)
    {
        if (knownVersion == state.State.Version)
        {
            return Task.FromResult<IdentitySnapshot?>(null);
        }

        _snapshot ??= new IdentitySnapshot(state.State.Version, state.State.SigningKey, [.. state.State.Identities.Values.OrderBy(i => i.Uid, StringComparer.Ordinal)]);
        return Task.FromResult<IdentitySnapshot?>(_snapshot);
    }

    /// <inheritdoc />
    public async Task<bool> Bootstrap(string uid, string passwordHash)
    {
        if (state.State.Identities.Count > 0)
        {
            return false;
        }

        await CreateAsync(uid, passwordHash, null, "the first superuser", [new GrantRecord(Permission.Superuser, (int)PermissionActions.Full)]);
        return true;
    }

    /// <inheritdoc />
    public Task<IdentityRecord> Create(string uid, string? passwordHash, string? publicKeyPem, string description) =>
        CreateAsync(uid, passwordHash, publicKeyPem, description, []);

    /// <inheritdoc />
    public Task<IdentityRecord> Update(string uid, string? passwordHash, string? description, bool? enabled)
    {
        var identity = Require(uid);
        if (description is not null && IdentityRules.DescriptionProblem(description) is { } problem)
        {
            throw new IdentityException(400, problem);
        }

        if (passwordHash is not null && identity.IsService)
        {
            throw new IdentityException(400, $"'{uid}' is a service account: it logs in with its key, not a password");
        }

        var revoke = passwordHash is not null || (enabled == false && identity.Enabled);
        return SaveAsync(identity with
        {
            PasswordHash = passwordHash ?? identity.PasswordHash,
            Description = description ?? identity.Description,
            Enabled = enabled ?? identity.Enabled,
            TokenEpoch = revoke ? identity.TokenEpoch + 1 : identity.TokenEpoch,
        });
    }

    /// <inheritdoc />
    public async Task Delete(string uid)
    {
        _ = Require(uid);
        state.State.Identities.Remove(uid);
        await WriteAsync();
    }

    /// <inheritdoc />
    public Task<IdentityRecord> Grant(string uid, string resource, int actions)
    {
        var identity = Require(uid);
        var permission = new Permission(resource, (PermissionActions)actions & PermissionActions.Full);
        if (permission.Problem() is { } problem)
        {
            throw new IdentityException(400, problem);
        }

        var existing = identity.Grants.FirstOrDefault(g => g.Resource == resource);
        if (existing is null && identity.Grants.Count >= IdentityRules.MaxGrants)
        {
            throw new IdentityException(400, $"'{uid}' already holds {IdentityRules.MaxGrants} grants, the most one identity may");
        }

        var merged = new GrantRecord(resource, (existing?.Actions ?? 0) | (int)permission.Actions);
        return SaveAsync(identity with { Grants = [.. identity.Grants.Where(g => g.Resource != resource), merged] });
    }

    /// <inheritdoc />
    public Task<IdentityRecord> Revoke(string uid, string resource, int actions)
    {
        var identity = Require(uid);
        var existing = identity.Grants.FirstOrDefault(g => g.Resource == resource)
            ?? throw new IdentityException(404, $"'{uid}' holds no grant on '{IdentityRules.Printable(resource)}'");
        var left = existing.Actions & ~actions;
        return SaveAsync(identity with
        {
            Grants = left == 0 ? [.. identity.Grants.Where(g => g != existing)] : [.. identity.Grants.Select(g => g == existing ? g with { Actions = left } : g)],
        });
    }

    /// <inheritdoc />
    public Task<IdentityRecord> RevokeTokens(string uid)
    {
        var identity = Require(uid);
        return SaveAsync(identity with { TokenEpoch = identity.TokenEpoch + 1 });
    }

    private async Task<IdentityRecord> CreateAsync(string uid, string? passwordHash, string? publicKeyPem, string description, IReadOnlyList<GrantRecord> grants)
    {
        var problem = IdentityRules.UidProblem(uid)
            ?? IdentityRules.DescriptionProblem(description)
            ?? ((passwordHash is null) == (publicKeyPem is null) ? "give either a password (a user) or a public key (a service account)" : null)
            ?? (publicKeyPem is not null ? IdentityRules.PublicKeyProblem(publicKeyPem) : null);
        if (problem is not null)
        {
            throw new IdentityException(400, problem);
        }

        if (state.State.Identities.ContainsKey(uid))
        {
            throw new IdentityException(409, $"'{uid}' already exists");
        }

        if (state.State.Identities.Count >= IdentityRules.MaxIdentities)
        {
            throw new IdentityException(400, $"the cluster already has {IdentityRules.MaxIdentities} identities, the most it keeps");
        }

        return await SaveAsync(new IdentityRecord(uid, passwordHash, publicKeyPem, description, Enabled: true, grants, TokenEpoch: 0));
    }

    private IdentityRecord Require(string uid) =>
        state.State.Identities.GetValueOrDefault(uid) ?? throw new IdentityException(404, $"no user or service account '{IdentityRules.Printable(uid)}'");

    private async Task<IdentityRecord> SaveAsync(IdentityRecord identity)
    {
        state.State.Identities[identity.Uid] = identity;
        await WriteAsync();
        return identity;
    }

    private async Task WriteAsync()
    {
        state.State.Version++;
        _snapshot = null;
        await state.WriteOrReloadAsync(this);
    }
}

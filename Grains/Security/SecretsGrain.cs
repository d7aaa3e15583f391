using System.Security.Cryptography;
using System.Text;
using Orleans;
using Orleans.Runtime;
using OrleansDcos.Grains.Concurrency;
using OrleansDcos.Scheduling.Security;

namespace OrleansDcos.Grains.Security;

/// <summary>The secret store in grain state; values sealed under the cluster key, never logged.</summary>
public sealed class SecretsGrain(
    [PersistentState("secrets", "Default")] IPersistentState<SecretsState> state,
    ClusterKeyring keyring,
    TimeProvider time) : Grain, ISecretsGrain
{
    /// <summary>The most secrets kept.</summary>
    public const int MaxSecrets = 10_000;

    /// <inheritdoc />
    public async Task<SecretInfo> Put(string path, string value, bool create)
    {
        var box = keyring.Require();
        var normalized = SecretPaths.Normalize(path, out var problem) ?? throw new IdentityException(400, problem!);
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > SecretBox.MaxValueBytes || value.Contains('\0', StringComparison.Ordinal))
        {
            throw new IdentityException(400, $"a secret's value has at most {SecretBox.MaxValueBytes} bytes and no NUL character");
        }

        var existing = state.State.Secrets.GetValueOrDefault(normalized);
        if (create && existing is not null)
        {
            throw new IdentityException(409, $"secret '{normalized}' exists already: PATCH changes it");
        }

        if (!create && existing is null)
        {
            throw new IdentityException(404, $"no secret '{normalized}'");
        }

        if (existing is null && state.State.Secrets.Count >= MaxSecrets)
        {
            throw new IdentityException(400, $"the store keeps at most {MaxSecrets} secrets");
        }

        var now = time.GetUtcNow();
        var stored = new StoredSecret(box.Seal(normalized, bytes), existing?.Created ?? now, now);
        state.State.Secrets[normalized] = stored;
        await state.WriteOrReloadAsync(this);
        return new SecretInfo(normalized, stored.Created, stored.Updated);
    }

    /// <inheritdoc />
    public async Task Delete(string path)
    {
        var normalized = SecretPaths.Normalize(path, out var problem) ?? throw new IdentityException(400, problem!);
        if (!state.State.Secrets.Remove(normalized))
        {
            throw new IdentityException(404, $"no secret '{normalized}'");
        }

        await state.WriteOrReloadAsync(this);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SecretInfo>> List() =>
        Task.FromResult<IReadOnlyList<SecretInfo>>([.. state.State.Secrets.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new SecretInfo(s.Key, s.Value.Created, s.Value.Updated))]);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> Resolve(IReadOnlyList<string> paths)
    {
        var box = keyring.Require();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            if (SecretPaths.Normalize(path, out _) is { } normalized && state.State.Secrets.TryGetValue(normalized, out var stored))
            {
                try
                {
                    values[path] = Encoding.UTF8.GetString(box.Open(normalized, stored.Sealed));
                }
                catch (CryptographicException)
                {
                    // Sealed under another key (the cluster key was changed): as good as missing.
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, string>>(values);
    }
}

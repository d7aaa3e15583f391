using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>How the schedulers get the secret values of the tasks they launch.</summary>
public static class SecretResolution
{
    /// <summary>
    /// The values of <paramref name="paths"/> that exist (null when there are none to look up, or the store cannot be read:
    /// <paramref name="unavailable"/> is told why, and the tasks then fail naming their secrets).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>?> ResolveAsync(IGrainFactory grains, IEnumerable<string> paths, Action<string> unavailable)
    {
        var wanted = paths.Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return null;
        }

        try
        {
            return await grains.GetGrain<ISecretsGrain>(ISecretsGrain.Key).Resolve(wanted);
        }
        catch (IdentityException ex)
        {
            unavailable(ex.Message);
            return null;
        }
    }

    /// <summary>Splits <paramref name="fromSecrets"/> (variable → secret path) into the values found and the paths missing, as a task carries them.</summary>
    public static (IReadOnlyDictionary<string, string>? Secrets, IReadOnlyList<string>? Missing) Split(
        IEnumerable<KeyValuePair<string, string>> fromSecrets, IReadOnlyDictionary<string, string>? values)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (variable, path) in fromSecrets)
        {
            if (values?.GetValueOrDefault(path) is { } value)
            {
                found[variable] = value;
            }
            else
            {
                missing.Add(path);
            }
        }

        return (found.Count > 0 ? found : null, missing.Count > 0 ? missing : null);
    }
}

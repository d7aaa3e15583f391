using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>
/// The secret store (one grain, key <see cref="Key"/>): values sealed with the cluster key
/// (<see cref="Scheduling.Security.SecretBox"/>, bound to their paths) in grain state. Values go out only through
/// <see cref="Resolve"/>, which the schedulers call when they launch a task that references them.
/// </summary>
[Alias("dcos.ISecretsGrain")]
public interface ISecretsGrain : IGrainWithStringKey
{
    /// <summary>The grain's key.</summary>
    const string Key = "secrets";

    /// <summary>Creates (<paramref name="create"/>: 409 when it exists) or changes (404 when it does not) the secret at <paramref name="path"/>.</summary>
    [Alias("Put")]
    Task<SecretInfo> Put(string path, string value, bool create);

    /// <summary>Removes a secret (404 when unknown).</summary>
    [Alias("Delete")]
    Task Delete(string path);

    /// <summary>The secrets' paths and times, no values.</summary>
    [Alias("List")]
    Task<IReadOnlyList<SecretInfo>> List();

    /// <summary>The values of the secrets of <paramref name="paths"/> that exist (a missing one is left out).</summary>
    [Alias("Resolve")]
    Task<IReadOnlyDictionary<string, string>> Resolve(IReadOnlyList<string> paths);
}

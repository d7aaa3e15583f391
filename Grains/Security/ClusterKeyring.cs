using OrleansDcos.Scheduling.Security;

namespace OrleansDcos.Grains.Security;

/// <summary>The cluster key secrets are sealed with, as the silo loaded it; or why there is none (secrets then cannot be stored or used).</summary>
public sealed class ClusterKeyring
{
    /// <summary>A keyring with <paramref name="box"/>.</summary>
    public ClusterKeyring(SecretBox box) => Box = box;

    /// <summary>A keyring without a key, saying why.</summary>
    public ClusterKeyring(string problem) => Problem = problem;

    /// <summary>The box, or null.</summary>
    public SecretBox? Box { get; }

    /// <summary>Why there is no key, or null.</summary>
    public string? Problem { get; }

    /// <summary>The box, or <see cref="IdentityException"/> (503) saying why there is none.</summary>
    public SecretBox Require() => Box ?? throw new IdentityException(503, $"secrets are not available: {Problem}");
}

using OrleansDcos.Grains.Security;
using OrleansDcos.Scheduling.Security;
using OrleansDcos.Silo.Hosting;

namespace OrleansDcos.Silo.Security;

/// <summary>Loads the cluster key (<see cref="SecurityOptions.ClusterKey"/>, its file, or embedded mode's own file, made at the first start).</summary>
public static class ClusterKeys
{
    /// <summary>The key's name in sealed values.</summary>
    public const string KeyId = "cluster";

    /// <summary>The keyring of these settings; without a key, one that says why.</summary>
    public static ClusterKeyring Load(SecurityOptions security, SiloOptions silo, string contentRoot)
    {
        if (security.ClusterKey is { } inline)
        {
            return new ClusterKeyring(new SecretBox(KeyId, Convert.FromBase64String(inline.Trim())));
        }

        var file = security.ClusterKeyFile is { } configured ? Path.GetFullPath(configured, contentRoot)
            : silo.Mode == SiloMode.Embedded ? Path.Combine(Path.GetFullPath(silo.DataDirectory, contentRoot), "cluster.key")
            : null;
        if (file is null)
        {
            return new ClusterKeyring("no cluster key: set Security:ClusterKeyFile (or Security:ClusterKey), the same 32-byte key on every silo");
        }

        if (!File.Exists(file) && security.ClusterKeyFile is null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var stream = new FileStream(file, options);
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToBase64String(SecretBox.NewKey()));
            }
            catch (IOException) when (File.Exists(file))
            {
                // Made by another start at the same moment: read that one.
            }
        }

        if (!File.Exists(file))
        {
            return new ClusterKeyring($"the cluster key file {file} does not exist");
        }

        var text = File.ReadAllText(file).Trim();
        return SecurityOptions.IsKey(text)
            ? new ClusterKeyring(new SecretBox(KeyId, Convert.FromBase64String(text)))
            : new ClusterKeyring($"the cluster key file {file} does not hold 32 bytes in base64");
    }
}

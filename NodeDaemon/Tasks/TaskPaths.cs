using System.Security.Cryptography;
using System.Text;

namespace OrleansDcos.NodeDaemon.Tasks;

/// <summary>
/// File and directory names the agent derives from ids (sandboxes, task records, update journals), and the check that
/// every path built from one stays inside its root. The master validates ids before they reach an agent; this is the
/// second line: whatever id arrives, its name is one path segment (escaped, never <c>.</c> or <c>..</c>, short enough
/// for the file system) and a path that would leave its root is refused.
/// </summary>
public static class TaskPaths
{
    /// <summary>The longest name made (bytes), leaving room for suffixes such as <c>.json.tmp</c> within NAME_MAX (255).</summary>
    public const int MaxNameLength = 200;

    /// <summary>
    /// The one-segment name of <paramref name="id"/>: its URI escape (as earlier versions named them, so existing
    /// sandboxes and records are found again), dots escaped when the id is only dots, and a cut prefix plus a hash of
    /// the whole id when the escape is too long.
    /// </summary>
    public static string NameOf(string id)
    {
        var name = Uri.EscapeDataString(id);
        if (name.Length == 0)
        {
            name = "%00";
        }
        else if (name.All(c => c == '.'))
        {
            name = name.Replace(".", "%2E", StringComparison.Ordinal);
        }

        if (name.Length <= MaxNameLength)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..32];
        return $"{name[..(MaxNameLength - hash.Length - 1)]}-{hash}";
    }

    /// <summary>
    /// <paramref name="root"/>/<paramref name="name"/>, refused with <see cref="TaskPathException"/> unless it is a
    /// direct child of <paramref name="root"/> (no separator, no <c>.</c>/<c>..</c>, nothing that resolves elsewhere).
    /// </summary>
    public static string Under(string root, string name)
    {
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var path = Path.GetFullPath(Path.Combine(fullRoot, name));
        if (name.Length == 0 || name.Contains('/') || name.Contains('\0') || name is "." or ".."
            || !string.Equals(Path.GetDirectoryName(path), fullRoot, StringComparison.Ordinal))
        {
            throw new TaskPathException($"'{name}' is not a name inside {fullRoot}");
        }

        return path;
    }

    /// <summary>The path for <paramref name="id"/> under <paramref name="root"/>: <see cref="Under"/> of <see cref="NameOf"/> plus <paramref name="suffix"/>.</summary>
    public static string For(string root, string id, string suffix = "") => Under(root, NameOf(id) + suffix);
}

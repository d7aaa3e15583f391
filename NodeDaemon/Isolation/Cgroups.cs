using System.Globalization;

namespace OrleansDcos.NodeDaemon.Isolation;

/// <summary>Finds the machine's cgroup hierarchy.</summary>
public static class Cgroups
{
    /// <summary>The default parent cgroup of containers.</summary>
    public const string DefaultParent = "orleansdcos";

    /// <summary>CFS period used for CPU quotas.</summary>
    public const long CfsPeriodMicros = 100_000;

    /// <summary>
    /// cgroup v2 when <paramref name="root"/> is a unified hierarchy, v1 when it holds per-controller
    /// mounts (cpu, memory, pids), else null (tasks then run without resource isolation).
    /// </summary>
    public static ICgroups? Detect(string root = "/sys/fs/cgroup", string parent = DefaultParent)
    {
        if (File.Exists(Path.Combine(root, "cgroup.controllers")))
        {
            return new CgroupsV2(root, parent);
        }

        return Directory.Exists(Path.Combine(root, "memory")) && Directory.Exists(Path.Combine(root, "cpu"))
            ? new CgroupsV1(root, parent)
            : null;
    }

    /// <summary>
    /// <see cref="Detect"/>, then proves this process may manage cgroups there (a user without the right to
    /// write the hierarchy gets null: tasks then run without resource isolation).
    /// </summary>
    public static ICgroups? DetectUsable(string root = "/sys/fs/cgroup", string parent = DefaultParent)
    {
        var cgroups = Detect(root, parent);
        if (cgroups is null)
        {
            return null;
        }

        try
        {
            cgroups.Create($"probe-{Guid.NewGuid():N}", new CgroupLimits(1, 64L << 20)).Destroy();
            return cgroups;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return null;
        }
    }

    /// <summary>Removes an empty cgroup directory (rmdir; its control files go with it); a busy or missing one stays.</summary>
    internal static void RemoveEmpty(string directory)
    {
        try
        {
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory);
            }
        }
        catch (IOException)
        {
            // Not empty (or already gone): leave it.
        }
    }

    internal static void Write(string file, string value) => File.WriteAllText(file, value);

    internal static void WriteIfExists(string file, string value)
    {
        if (File.Exists(file))
        {
            File.WriteAllText(file, value);
        }
    }

    internal static long ReadLong(string file) =>
        File.Exists(file) && long.TryParse(File.ReadAllText(file).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    /// <summary>The value of <paramref name="key"/> in a flat keyed file (<c>key value</c> lines), or 0.</summary>
    internal static long ReadKeyed(string file, string key)
    {
        if (!File.Exists(file))
        {
            return 0;
        }

        foreach (var line in File.ReadLines(file))
        {
            var space = line.IndexOf(' ');
            if (space > 0 && line.AsSpan(0, space).SequenceEqual(key) && long.TryParse(line.AsSpan(space + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return 0;
    }

    internal static IReadOnlyList<int> ReadProcs(string file) =>
        File.Exists(file)
            ? File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray()
            : [];

    /// <summary>Removes cgroup directories (rmdir, never recursive delete); the kernel may hold an emptied cgroup a moment.</summary>
    internal static void Remove(IEnumerable<string> directories)
    {
        foreach (var directory in directories.Where(Directory.Exists))
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    Directory.Delete(directory);
                    break;
                }
                catch (IOException) when (attempt < 50)
                {
                    Thread.Sleep(20); // the kernel frees an emptied cgroup asynchronously; there is no event to wait on
                }
            }
        }
    }

    internal static string Name(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && name is not "." and not ".."
            ? name
            : throw new ArgumentException($"'{name}' is not a valid cgroup name (letters, digits, '-', '_', '.')", nameof(name));
}

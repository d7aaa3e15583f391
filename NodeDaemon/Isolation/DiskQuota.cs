using System.Globalization;

namespace OrleansDcos.NodeDaemon.Isolation;

/// <summary>
/// Disk limits as Mesos' posix/disk isolator enforces them (<c>--enforce_container_disk_quota</c>): what a task's
/// sandbox holds is measured against its disk (less its volumes), each persistent volume against its own size; a task
/// over either is killed and FAILED with <c>REASON_CONTAINER_LIMITATION_DISK</c>. Measured by walking the files (links
/// not followed), so it holds on every filesystem, within one check interval.
/// </summary>
public static class DiskQuota
{
    /// <summary>Bytes held by the files under <paramref name="path"/> (symbolic links counted as links, not followed).</summary>
    public static long Measure(string path)
    {
        if (!Directory.Exists(path))
        {
            return 0;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        long total = 0;
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", options))
        {
            total += file.Length;
        }

        return total;
    }

    /// <summary>
    /// Why the task is over its limits, or null: <paramref name="sandboxBytes"/> against <paramref name="sandboxLimitMb"/>
    /// (no limit when 0), each volume's bytes against its size.
    /// </summary>
    public static string? Exceeded(long sandboxBytes, double sandboxLimitMb, IEnumerable<(string Id, long Bytes, double LimitMb)> volumes)
    {
        if (sandboxLimitMb > 0 && sandboxBytes > sandboxLimitMb * 1024 * 1024)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Disk usage ({sandboxBytes / 1048576.0:0.##} MB) exceeds quota ({sandboxLimitMb:0.##} MB) of the sandbox");
        }

        foreach (var (id, bytes, limit) in volumes)
        {
            if (bytes > limit * 1024 * 1024)
            {
                return string.Create(CultureInfo.InvariantCulture, $"Disk usage ({bytes / 1048576.0:0.##} MB) exceeds quota ({limit:0.##} MB) of persistent volume '{id}'");
            }
        }

        return null;
    }
}

using System.Diagnostics;
using System.Globalization;

namespace OrleansDcos.NodeDaemon.Agent;

/// <summary>
/// What a machine offers, as Mesos' agent computes it: all cpus; memory less a reserve for the system
/// (1 GiB, or half when there is less than 2 GiB); the work directory's file system less a reserve (5 GiB,
/// or half); ports 31000–32000; GPUs that <c>nvidia-smi</c> lists. Operator settings replace detected entries.
/// </summary>
public static class ResourceDetector
{
    /// <summary>The default port range.</summary>
    public const string DefaultPorts = "[31000-32000]";

    /// <summary>The agent's resources: detected, then overridden name by name.</summary>
    public static string Detect(string workDirectory, string? overrides, Func<int>? gpus = null)
    {
        var detected = new List<(string Name, string Entry)>
        {
            ("cpus", $"cpus:{Environment.ProcessorCount}"),
            ("mem", $"mem:{Reserve(MemoryMb())}"),
            ("disk", $"disk:{Reserve(DiskMb(workDirectory), 5 * 1024)}"),
            ("ports", $"ports:{DefaultPorts}"),
        };
        var gpuCount = (gpus ?? NvidiaGpus)();
        if (gpuCount > 0)
        {
            detected.Add(("gpus", $"gpus:{gpuCount}"));
        }

        return Merge(detected, overrides);
    }

    /// <summary>Replaces detected entries by the overrides' entries of the same name (all roles of that name).</summary>
    public static string Merge(IEnumerable<(string Name, string Entry)> detected, string? overrides)
    {
        var given = (overrides ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => (Name: e.Split('(', ':')[0].Trim(), Entry: e)).ToList();
        var names = given.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        return string.Join(';', detected.Where(d => !names.Contains(d.Name)).Select(d => d.Entry).Concat(given.Select(g => g.Entry)));
    }

    private static long Reserve(long totalMb, long reserveMb = 1024) => totalMb >= 2 * reserveMb ? totalMb - reserveMb : totalMb / 2;

    private static long MemoryMb()
    {
        foreach (var line in File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo") : [])
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb / 1024;
            }
        }

        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
    }

    private static long DiskMb(string directory)
    {
        Directory.CreateDirectory(directory);
        return new DriveInfo(Path.GetFullPath(directory)).TotalSize / (1024 * 1024);
    }

    /// <summary>The GPUs <c>nvidia-smi</c> lists (none when it is absent or fails).</summary>
    public static int NvidiaGpus()
    {
        try
        {
            var start = new ProcessStartInfo("nvidia-smi", "--query-gpu=index --format=csv,noheader") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start);
            if (process is null)
            {
                return 0;
            }

            var output = process.StandardOutput.ReadToEnd();
            return process.WaitForExit(5000) && process.ExitCode == 0 ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length : 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 0; // not installed
        }
    }
}

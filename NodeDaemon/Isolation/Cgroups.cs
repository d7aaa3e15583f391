using System.Globalization;

namespace OrleansDcos.NodeDaemon.Isolation;

/// <summary>The limits a container's cgroup enforces.</summary>
/// <param name="Cpus">CPU share: a CFS quota of <c>Cpus × period</c> and a weight proportional to it.</param>
/// <param name="MemoryBytes">Hard memory limit (swap included where the kernel accounts it); over it the kernel OOM-kills.</param>
/// <param name="MaxPids">Most processes and threads at once, or null for no limit.</param>
public sealed record CgroupLimits(double Cpus, long MemoryBytes, int? MaxPids = null);

/// <summary>What a container's cgroup has measured.</summary>
/// <param name="CpuUsage">CPU time used by every process in it.</param>
/// <param name="ThrottledPeriods">CFS periods in which it hit its quota.</param>
/// <param name="ThrottledTime">Time it spent throttled.</param>
/// <param name="MemoryBytes">Memory in use now.</param>
/// <param name="OomKills">Processes the kernel killed for exceeding the memory limit.</param>
public sealed record CgroupStats(TimeSpan CpuUsage, long ThrottledPeriods, TimeSpan ThrottledTime, long MemoryBytes, long OomKills);

/// <summary>One container's cgroup (a directory per controller on v1, one directory on v2).</summary>
public interface ICgroup
{
    /// <summary>Its name under the daemon's parent cgroup.</summary>
    string Name { get; }

    /// <summary>The <c>cgroup.procs</c> files a process writes <c>0</c> into to join it.</summary>
    IReadOnlyList<string> ProcsFiles { get; }

    /// <summary>The processes in it now.</summary>
    IReadOnlyList<int> Processes();

    /// <summary>Its counters.</summary>
    CgroupStats ReadStats();

    /// <summary>Removes it (it must be empty; retried briefly while the kernel lets go of exited processes).</summary>
    void Destroy();
}

/// <summary>Creates and finds container cgroups under one parent (<c>orleansdcos</c> by default).</summary>
public interface ICgroups
{
    /// <summary>"v1" or "v2".</summary>
    string Version { get; }

    /// <summary>Creates (or reuses) the cgroup <paramref name="name"/> with <paramref name="limits"/>.</summary>
    ICgroup Create(string name, CgroupLimits limits);

    /// <summary>The existing cgroup <paramref name="name"/>, or null.</summary>
    ICgroup? Open(string name);

    /// <summary>The names of every container cgroup under the parent (to find orphans).</summary>
    IReadOnlyList<string> List();

    /// <summary>Removes the parent cgroup when no container is left in it (a daemon that stops with nothing running).</summary>
    void RemoveParentIfEmpty();
}

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

/// <summary>cgroup v1: a directory per controller (cpu, memory, pids) under each controller's mount.</summary>
public sealed class CgroupsV1(string root, string parent) : ICgroups
{
    private static readonly string[] Controllers = ["cpu", "cpuacct", "memory", "pids"];

    /// <inheritdoc />
    public string Version => "v1";

    /// <inheritdoc />
    public ICgroup Create(string name, CgroupLimits limits)
    {
        var group = new Group(root, parent, Cgroups.Name(name));
        foreach (var directory in group.Directories.Values)
        {
            Directory.CreateDirectory(directory);
        }

        var cpu = group.Directories["cpu"];
        Cgroups.Write(Path.Combine(cpu, "cpu.shares"), Math.Max(2, (long)(limits.Cpus * 1024)).ToString(CultureInfo.InvariantCulture));
        Cgroups.Write(Path.Combine(cpu, "cpu.cfs_period_us"), Cgroups.CfsPeriodMicros.ToString(CultureInfo.InvariantCulture));
        Cgroups.Write(Path.Combine(cpu, "cpu.cfs_quota_us"), Math.Max(1_000, (long)(limits.Cpus * Cgroups.CfsPeriodMicros)).ToString(CultureInfo.InvariantCulture));

        var memory = group.Directories["memory"];
        var bytes = limits.MemoryBytes.ToString(CultureInfo.InvariantCulture);
        Cgroups.WriteIfExists(Path.Combine(memory, "memory.swappiness"), "0");

        // A new cgroup's memsw limit is unlimited, so the plain limit goes first (memsw must stay ≥ it).
        Cgroups.Write(Path.Combine(memory, "memory.limit_in_bytes"), bytes);
        Cgroups.WriteIfExists(Path.Combine(memory, "memory.memsw.limit_in_bytes"), bytes);

        if (group.Directories.TryGetValue("pids", out var pids) && limits.MaxPids is { } max)
        {
            Cgroups.WriteIfExists(Path.Combine(pids, "pids.max"), max.ToString(CultureInfo.InvariantCulture));
        }

        return group;
    }

    /// <inheritdoc />
    public ICgroup? Open(string name)
    {
        var group = new Group(root, parent, Cgroups.Name(name));
        return Directory.Exists(group.Directories["memory"]) ? group : null;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> List()
    {
        var directory = Path.Combine(root, "memory", parent);
        return Directory.Exists(directory) ? Directory.GetDirectories(directory).Select(d => Path.GetFileName(d)).ToArray() : [];
    }

    /// <inheritdoc />
    public void RemoveParentIfEmpty()
    {
        if (List().Count == 0)
        {
            foreach (var controller in Controllers)
            {
                Cgroups.RemoveEmpty(Path.Combine(root, controller, parent));
            }
        }
    }

    private sealed class Group(string root, string parent, string name) : ICgroup
    {
        public string Name => name;

        public Dictionary<string, string> Directories { get; } = Controllers
            .Where(c => System.IO.Directory.Exists(Path.Combine(root, c)))
            .ToDictionary(c => c, c => Path.Combine(root, c, parent, name));

        public IReadOnlyList<string> ProcsFiles => Directories.Values.Select(d => Path.Combine(d, "cgroup.procs")).ToArray();

        public IReadOnlyList<int> Processes() => Directories.Values.SelectMany(d => Cgroups.ReadProcs(Path.Combine(d, "cgroup.procs"))).Distinct().ToArray();

        public CgroupStats ReadStats()
        {
            var cpu = Directories["cpu"];
            var usage = Directories.TryGetValue("cpuacct", out var acct) ? Cgroups.ReadLong(Path.Combine(acct, "cpuacct.usage")) : 0;
            var memory = Directories["memory"];
            var oomKills = Cgroups.ReadKeyed(Path.Combine(memory, "memory.oom_control"), "oom_kill");
            return new CgroupStats(
                TimeSpan.FromTicks(usage / 100),
                Cgroups.ReadKeyed(Path.Combine(cpu, "cpu.stat"), "nr_throttled"),
                TimeSpan.FromTicks(Cgroups.ReadKeyed(Path.Combine(cpu, "cpu.stat"), "throttled_time") / 100),
                Cgroups.ReadLong(Path.Combine(memory, "memory.usage_in_bytes")),
                oomKills);
        }

        public void Destroy() => Cgroups.Remove(Directories.Values);
    }
}

/// <summary>cgroup v2: one directory per container under <c>{root}/{parent}</c>, controllers enabled on the parent.</summary>
public sealed class CgroupsV2(string root, string parent) : ICgroups
{
    /// <inheritdoc />
    public string Version => "v2";

    /// <inheritdoc />
    public ICgroup Create(string name, CgroupLimits limits)
    {
        var parentDirectory = Path.Combine(root, parent);
        if (!Directory.Exists(parentDirectory))
        {
            Directory.CreateDirectory(parentDirectory);
        }

        // Children get a controller only when every ancestor delegates it.
        Cgroups.WriteIfExists(Path.Combine(root, "cgroup.subtree_control"), "+cpu +memory +pids");
        Cgroups.Write(Path.Combine(parentDirectory, "cgroup.subtree_control"), "+cpu +memory +pids");

        var group = new Group(Path.Combine(parentDirectory, Cgroups.Name(name)), name);
        Directory.CreateDirectory(group.Directory);
        Cgroups.Write(Path.Combine(group.Directory, "cpu.max"), $"{Math.Max(1_000, (long)(limits.Cpus * Cgroups.CfsPeriodMicros)).ToString(CultureInfo.InvariantCulture)} {Cgroups.CfsPeriodMicros.ToString(CultureInfo.InvariantCulture)}");

        // v1's 1024 shares per cpu map onto v2's weight range 1..10000 (default 100).
        Cgroups.Write(Path.Combine(group.Directory, "cpu.weight"), Math.Clamp((long)(limits.Cpus * 100), 1, 10_000).ToString(CultureInfo.InvariantCulture));
        Cgroups.Write(Path.Combine(group.Directory, "memory.max"), limits.MemoryBytes.ToString(CultureInfo.InvariantCulture));
        Cgroups.WriteIfExists(Path.Combine(group.Directory, "memory.swap.max"), "0");
        Cgroups.WriteIfExists(Path.Combine(group.Directory, "memory.oom.group"), "1");
        if (limits.MaxPids is { } max)
        {
            Cgroups.WriteIfExists(Path.Combine(group.Directory, "pids.max"), max.ToString(CultureInfo.InvariantCulture));
        }

        return group;
    }

    /// <inheritdoc />
    public ICgroup? Open(string name)
    {
        var directory = Path.Combine(root, parent, Cgroups.Name(name));
        return Directory.Exists(directory) ? new Group(directory, name) : null;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> List()
    {
        var directory = Path.Combine(root, parent);
        return Directory.Exists(directory) ? Directory.GetDirectories(directory).Select(d => Path.GetFileName(d)).ToArray() : [];
    }

    /// <inheritdoc />
    public void RemoveParentIfEmpty()
    {
        if (List().Count == 0)
        {
            Cgroups.RemoveEmpty(Path.Combine(root, parent));
        }
    }

    private sealed class Group(string directory, string name) : ICgroup
    {
        public string Directory => directory;

        public string Name => name;

        public IReadOnlyList<string> ProcsFiles => [Path.Combine(directory, "cgroup.procs")];

        public IReadOnlyList<int> Processes() => Cgroups.ReadProcs(Path.Combine(directory, "cgroup.procs"));

        public CgroupStats ReadStats()
        {
            var cpuStat = Path.Combine(directory, "cpu.stat");
            return new CgroupStats(
                TimeSpan.FromMicroseconds(Cgroups.ReadKeyed(cpuStat, "usage_usec")),
                Cgroups.ReadKeyed(cpuStat, "nr_throttled"),
                TimeSpan.FromMicroseconds(Cgroups.ReadKeyed(cpuStat, "throttled_usec")),
                Cgroups.ReadLong(Path.Combine(directory, "memory.current")),
                Cgroups.ReadKeyed(Path.Combine(directory, "memory.events"), "oom_kill"));
        }

        public void Destroy() => Cgroups.Remove([directory]);
    }
}

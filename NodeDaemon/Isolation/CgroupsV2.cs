using System.Globalization;

namespace OrleansDcos.NodeDaemon.Isolation;

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

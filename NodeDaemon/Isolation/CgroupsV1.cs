using System.Globalization;

namespace OrleansDcos.NodeDaemon.Isolation;

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

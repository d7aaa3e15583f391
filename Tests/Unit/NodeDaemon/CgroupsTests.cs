using OrleansDcos.NodeDaemon.Isolation;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Unit.NodeDaemon;

/// <summary>
/// Which files get which values, on a directory laid out as a cgroup hierarchy (this CI machine mounts v1
/// only; the real v1 path is exercised end to end in Agent tests).
/// </summary>
[Trait("Area", "Agent")]
public sealed class CgroupsTests : IDisposable
{
    private readonly TempDirectory _root = new();

    [Fact]
    public void V2_is_detected_by_its_controllers_file_and_writes_cpu_max_weight_memory_and_pids()
    {
        File.WriteAllText(Path.Combine(_root.Path, "cgroup.controllers"), "cpu memory pids");
        File.WriteAllText(Path.Combine(_root.Path, "cgroup.subtree_control"), "");
        var cgroups = Cgroups.Detect(_root.Path, "dcos");

        var group = cgroups!.Create("task-1", new CgroupLimits(1.5, 64 * 1024 * 1024, MaxPids: 100));

        Assert.Equal("v2", cgroups.Version);
        var dir = Path.Combine(_root.Path, "dcos", "task-1");
        Assert.Equal("150000 100000", File.ReadAllText(Path.Combine(dir, "cpu.max")));
        Assert.Equal("150", File.ReadAllText(Path.Combine(dir, "cpu.weight")));
        Assert.Equal("67108864", File.ReadAllText(Path.Combine(dir, "memory.max")));
        Assert.Equal("+cpu +memory +pids", File.ReadAllText(Path.Combine(_root.Path, "dcos", "cgroup.subtree_control")));
        Assert.Equal([Path.Combine(dir, "cgroup.procs")], group.ProcsFiles);
        Assert.Equal(["task-1"], cgroups.List());
    }

    [Fact]
    public void V2_stats_read_cpu_throttling_memory_and_oom_kills()
    {
        File.WriteAllText(Path.Combine(_root.Path, "cgroup.controllers"), "cpu memory pids");
        var cgroups = Cgroups.Detect(_root.Path, "dcos")!;
        var group = cgroups.Create("t", new CgroupLimits(1, 1 << 20));
        var dir = Path.Combine(_root.Path, "dcos", "t");
        File.WriteAllText(Path.Combine(dir, "cpu.stat"), "usage_usec 2500000\nuser_usec 2000000\nnr_periods 40\nnr_throttled 12\nthrottled_usec 300000\n");
        File.WriteAllText(Path.Combine(dir, "memory.current"), "1048576\n");
        File.WriteAllText(Path.Combine(dir, "memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");

        var stats = group.ReadStats();

        Assert.Equal(new CgroupStats(TimeSpan.FromSeconds(2.5), 12, TimeSpan.FromMilliseconds(300), 1 << 20, 1), stats);
    }

    [Fact]
    public void V1_is_detected_by_per_controller_mounts_and_writes_quota_shares_and_memory_limits()
    {
        foreach (var controller in new[] { "cpu", "cpuacct", "memory", "pids" })
        {
            Directory.CreateDirectory(Path.Combine(_root.Path, controller));
        }

        var cgroups = Cgroups.Detect(_root.Path, "dcos")!;
        cgroups.Create("t", new CgroupLimits(0.25, 32 * 1024 * 1024, MaxPids: 50));

        Assert.Equal("v1", cgroups.Version);
        Assert.Equal("25000", File.ReadAllText(Path.Combine(_root.Path, "cpu", "dcos", "t", "cpu.cfs_quota_us")));
        Assert.Equal("256", File.ReadAllText(Path.Combine(_root.Path, "cpu", "dcos", "t", "cpu.shares")));
        Assert.Equal("33554432", File.ReadAllText(Path.Combine(_root.Path, "memory", "dcos", "t", "memory.limit_in_bytes")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("x y")]
    public void Names_that_could_escape_the_parent_are_refused(string name)
    {
        File.WriteAllText(Path.Combine(_root.Path, "cgroup.controllers"), "cpu memory pids");

        Assert.Throws<ArgumentException>(() => Cgroups.Detect(_root.Path, "dcos")!.Create(name, new CgroupLimits(1, 1 << 20)));
    }

    [Fact]
    public void No_hierarchy_means_no_isolation() => Assert.Null(Cgroups.Detect(_root.Path, "dcos"));

    public void Dispose() => _root.Dispose();
}

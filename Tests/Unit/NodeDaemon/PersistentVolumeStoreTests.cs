using OrleansDcos.NodeDaemon.Isolation;
using OrleansDcos.NodeDaemon.Volumes;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Tests.Support;
using Xunit;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.NodeDaemon;

/// <summary>The daemon's volume directories: made and deleted to match the master's list, linked into sandboxes, measured.</summary>
[Trait("Area", "Stateful")]
public sealed class PersistentVolumeStoreTests
{
    private static Resource Volume(string id, string role = "db", double mb = 10, string path = "data") =>
        Resource.Reserved(Resource.OfScalar("disk", mb), role, new Reservation("p"), new PersistentVolume(id, path));

    [Fact]
    public void Directories_follow_the_masters_list_but_one_a_live_task_uses_is_kept()
    {
        using var work = new TempDirectory();
        var store = new PersistentVolumeStore(work.Path);

        store.Sync(Res.From([Volume("a"), Volume("b"), Volume("c", "web")]), new HashSet<(string, string)>());
        File.WriteAllText(Path.Combine(store.PathOf(Volume("a")), "data.txt"), "kept");
        var deleted = store.Sync(Res.From([Volume("a")]), new HashSet<(string, string)> { ("web", "c") });

        Assert.Equal(["db/b"], deleted);
        Assert.Equal("kept", File.ReadAllText(Path.Combine(store.PathOf(Volume("a")), "data.txt")));
        Assert.True(Directory.Exists(store.PathOf(Volume("c", "web"))));
        Assert.False(Directory.Exists(store.PathOf(Volume("b"))));
    }

    [Fact]
    public void A_task_sees_its_volume_in_its_sandbox_and_deleting_the_sandbox_leaves_the_volume()
    {
        using var work = new TempDirectory();
        var store = new PersistentVolumeStore(work.Path);
        var sandbox = Directory.CreateDirectory(Path.Combine(work.Path, "sandboxes", "t1")).FullName;
        var resources = Res.From([Volume("a"), Resource.OfScalar("cpus", 1)]);

        Assert.Empty(store.Attach(resources, sandbox, MountMode.Link));
        File.WriteAllText(Path.Combine(sandbox, "data", "file"), "through the link");
        store.Attach(resources, sandbox, MountMode.Link); // again (a relaunch in the same sandbox): the link is kept
        Directory.Delete(sandbox, recursive: true);

        Assert.Equal("through the link", File.ReadAllText(Path.Combine(store.PathOf(Volume("a")), "file")));
        var binds = store.Attach(resources, Directory.CreateDirectory(Path.Combine(work.Path, "sandboxes", "t2")).FullName, MountMode.Docker);
        Assert.Equal($"{store.PathOf(Volume("a"))}:/mnt/mesos/sandbox/data:rw", Assert.Single(binds).DockerBind);
        var t3 = Directory.CreateDirectory(Path.Combine(work.Path, "sandboxes", "t3")).FullName;
        var bind = Assert.Single(store.Attach(resources, t3, MountMode.Bind));
        Assert.Equal((store.PathOf(Volume("a")), Path.Combine(t3, "data"), false), (bind.Source, bind.Target, bind.ReadOnly));
        Assert.True(Directory.Exists(bind.Target)); // the mount point, made in the sandbox
        Assert.Equal(store.PathOf(Volume("a")), store.HostPathOf("data", resources, "/sb"));
        Assert.Equal("/sb/logs", store.HostPathOf("logs", resources, "/sb"));
        Assert.Equal("/var/x", store.HostPathOf("/var/x", resources, "/sb"));
        Assert.Throws<IOException>(() => store.HostPathOf("../x", resources, "/sb"));
    }

    [Fact]
    public void Something_already_at_the_container_path_is_not_replaced()
    {
        using var work = new TempDirectory();
        var store = new PersistentVolumeStore(work.Path);
        var sandbox = Directory.CreateDirectory(Path.Combine(work.Path, "sb")).FullName;
        File.WriteAllText(Path.Combine(sandbox, "data"), "a file of the task");

        Assert.Throws<IOException>(() => store.Attach(Res.From([Volume("a")]), sandbox, MountMode.Link));
        Assert.Throws<IOException>(() => store.Attach(Res.From([Volume("a")]), sandbox, MountMode.Bind));
        Assert.Equal("a file of the task", File.ReadAllText(Path.Combine(sandbox, "data")));
    }

    [Fact]
    public void Disk_use_is_measured_without_following_links_and_judged_against_each_limit()
    {
        using var work = new TempDirectory();
        var sandbox = Directory.CreateDirectory(Path.Combine(work.Path, "sb")).FullName;
        var volume = Directory.CreateDirectory(Path.Combine(work.Path, "vol")).FullName;
        File.WriteAllBytes(Path.Combine(volume, "big"), new byte[3 * 1024 * 1024]);
        File.WriteAllBytes(Path.Combine(sandbox, "small"), new byte[1024]);
        Directory.CreateSymbolicLink(Path.Combine(sandbox, "data"), volume);

        Assert.Equal(1024, DiskQuota.Measure(sandbox));
        Assert.Equal(3 * 1024 * 1024, DiskQuota.Measure(volume));
        Assert.Null(DiskQuota.Exceeded(1024, 1, [("v", 3 * 1024 * 1024, 3)]));
        Assert.Contains("persistent volume 'v'", DiskQuota.Exceeded(1024, 1, [("v", 3 * 1024 * 1024, 2)]), StringComparison.Ordinal);
        Assert.Contains("of the sandbox", DiskQuota.Exceeded(2 * 1024 * 1024, 1, []), StringComparison.Ordinal);
        Assert.Null(DiskQuota.Exceeded(long.MaxValue, 0, []));
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;
using OrleansDcos.NodeDaemon.Agent;
using OrleansDcos.NodeDaemon.Sandboxes;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Master;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Agent;

/// <summary>
/// The node daemon on its own, driven by a master that is only the agent link: launches the real master would refuse
/// (ids that name paths) and launches that cannot start still end with a terminal update saying why, and nothing of
/// them lands outside the sandbox root; the sandboxes of ended tasks are collected after the delay.
/// </summary>
[Trait("Area", "Agent")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DaemonDefenceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_task_id_that_would_leave_the_sandbox_root_is_refused_by_the_daemon_itself()
    {
        using var work = new TempDirectory();
        await using var master = LinkOnlyMaster.Start();
        await using var daemon = await StartDaemonAsync(work.Path, master);
        var before = Snapshot(work.Path);

        string[] bad = ["..", ".", "../meta", "a/../../b", "line\nbreak"];
        await master.SendAsync([.. bad.Select(id => Launch(id, "echo escaped > ../escaped; echo hi"))]);

        foreach (var id in bad)
        {
            var end = await master.TerminalUpdateAsync(id, Wait);
            Assert.Equal(TaskState.TASK_ERROR, end.State);
            Assert.Equal(TaskReasons.TaskInvalid, end.Reason);
            Assert.Contains("task_id", end.Message);
        }

        // No sandbox was made and nothing was written where a sandbox would have escaped to.
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(work.Path, "sandboxes")));
        Assert.False(File.Exists(Path.Combine(work.Path, "escaped")));
        Assert.Equal(before["agent_id"], Snapshot(work.Path)["agent_id"]);
        Assert.Empty(Snapshot(work.Path).Keys.Where(p => !p.StartsWith("meta/", StringComparison.Ordinal) && !p.StartsWith("updates/", StringComparison.Ordinal)).Except(before.Keys));
    }

    [Fact]
    public async Task A_launch_whose_sandbox_cannot_be_created_is_reported_FAILED_with_the_reason()
    {
        using var work = new TempDirectory();
        await using var master = LinkOnlyMaster.Start();
        await using var daemon = await StartDaemonAsync(work.Path, master);

        // A file where the sandbox directory must go.
        await File.WriteAllTextAsync(Path.Combine(work.Path, "sandboxes", "blocked"), "in the way");
        await master.SendAsync(Launch("blocked", "echo never"));

        var end = await master.TerminalUpdateAsync("blocked", Wait);
        Assert.Equal(TaskState.TASK_FAILED, end.State);
        Assert.Equal(TaskReasons.LaunchFailed, end.Reason);
        Assert.StartsWith("the launch failed: ", end.Message);
        Assert.DoesNotContain(daemon.Tasks, t => t.Key == "blocked" && !t.Value.IsTerminal());

        // A kill after the failure finds nothing to do, and the daemon goes on launching.
        await master.SendAsync(new AgentCommand(AgentCommandTypes.Kill, TaskId: "blocked"), Launch("next", "exit 0"));
        Assert.Equal(TaskState.TASK_FINISHED, (await master.TerminalUpdateAsync("next", Wait)).State);
        Assert.Single(master.Updates, u => u.TaskId == "blocked" && u.State.IsTerminal());
    }

    [Fact]
    public async Task Sandboxes_of_ended_tasks_are_collected_after_the_delay_and_those_of_live_tasks_stay()
    {
        using var work = new TempDirectory();

        // The delay shrinks as the disk fills (Mesos' rule): pick it so that the sandbox's time to live is about 3 s
        // on this disk, whatever its use.
        var drive = new DriveInfo(work.Path);
        var free = (double)drive.AvailableFreeSpace / drive.TotalSize;
        var delay = TimeSpan.FromSeconds(Math.Min(60, 3 / Math.Max(free, 0.05)));
        var timeToLive = SandboxGc.MaxAge(delay, 0, 1 - free);
        await using var master = LinkOnlyMaster.Start();
        await using var daemon = await StartDaemonAsync(work.Path, master, o =>
        {
            o.GcDelay = delay;
            o.GcDiskHeadroom = 0;
            o.GcInterval = TimeSpan.FromMilliseconds(200);
        });
        var sandboxes = Path.Combine(work.Path, "sandboxes");

        var sent = System.Diagnostics.Stopwatch.StartNew();
        await master.SendAsync(Launch("short", "echo done"), Launch("long", "exec sleep 1000"));
        var end = await master.TerminalUpdateAsync("short", Wait);
        Assert.True(end.State == TaskState.TASK_FINISHED, $"'echo done' ended {end.State} ({end.Reason}: {end.Message})");

        // The sandbox was last written after the launch was sent, so until its time to live has passed since then it must
        // be there with the task's output. (A box so loaded that the task took most of that time to end and report
        // leaves nothing to check here: the collection below is still checked.)
        if (sent.Elapsed < timeToLive - TimeSpan.FromSeconds(1))
        {
            Assert.Equal("done\n", await File.ReadAllTextAsync(Path.Combine(sandboxes, "short", "stdout")));
        }

        await Poll.UntilAsync(() => Task.FromResult(!Directory.Exists(Path.Combine(sandboxes, "short"))), TimeSpan.FromSeconds(20) + timeToLive, "the ended task's sandbox collected");
        Assert.True(Directory.Exists(Path.Combine(sandboxes, "long")), "a live task's sandbox is never collected");
        Assert.Contains(daemon.Tasks, t => t.Key == "long" && t.Value == TaskState.TASK_RUNNING);
        await daemon.KillAllAsync(TimeSpan.FromSeconds(1));
    }

    private static async Task<AgentDaemon> StartDaemonAsync(string work, LinkOnlyMaster master, Action<DaemonOptions>? tune = null)
    {
        var options = new DaemonOptions
        {
            Gateways = [master.Gateway],
            WorkDirectory = work,
            Resources = "cpus:1;mem:256;ports:[31000-31010]",
            CgroupRoot = Path.Combine(work, "no-cgroups"),
            DockerSocket = Path.Combine(work, "no-docker.sock"),
        };
        tune?.Invoke(options);
        var daemon = new AgentDaemon(options, NullLogger.Instance);
        await daemon.StartAsync();
        await Poll.UntilAsync(() => Task.FromResult(master.Registered && daemon.Registered), Wait, "the daemon registered");
        return daemon;
    }

    private static AgentCommand Launch(string taskId, string command) => new(AgentCommandTypes.Launch, "fw", Tasks:
    [
        new TaskSpec(taskId, "t", "fw", "*", Resources.Parse("cpus:0.1;mem:16"), Command: new CommandSpec(command, Shell: true)),
    ]);

    /// <summary>Every file under <paramref name="root"/> (relative path → content for small files).</summary>
    private static Dictionary<string, string> Snapshot(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
        .ToDictionary(f => Path.GetRelativePath(root, f), f => new FileInfo(f).Length < 4096 ? File.ReadAllText(f) : "", StringComparer.Ordinal);
}

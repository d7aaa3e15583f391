using System.Diagnostics;
using OrleansDcos.NodeDaemon.Containerizers.Process;
using OrleansDcos.NodeDaemon.Isolation;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Agent;

/// <summary>Real processes in real cgroups: limits, OOM, throttling, kill escalation, sandbox, recovery.</summary>
[Trait("Area", "Agent")]
public sealed class ProcessContainerizerTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly TempDirectory _work = new();
    private readonly string _parent = $"orleansdcos-test-{Guid.NewGuid():N}";
    private readonly List<ProcessContainer> _started = [];

    private ICgroups Cgroups => OrleansDcos.NodeDaemon.Isolation.Cgroups.Detect(parent: _parent) ?? throw new InvalidOperationException("no cgroups");

    private ProcessContainerizer NewContainerizer() => new(Cgroups, Path.Combine(_work.Path, "run"));

    private async Task<ProcessContainer> LaunchAsync(ProcessContainerizer containerizer, string command, CgroupLimits? limits, IReadOnlyDictionary<string, string>? env = null)
    {
        var id = $"c-{Guid.NewGuid():N}";
        var container = await containerizer.LaunchAsync(new ContainerLaunch(id, Path.Combine(_work.Path, "sandboxes", id), ContainerCommand.ShellCommand(command), env ?? new Dictionary<string, string>(), limits));
        _started.Add(container);
        return container;
    }

    [RequiresFact(Component.Cgroups)]
    public async Task A_task_over_its_memory_limit_is_oom_killed_and_says_so()
    {
        TestEnvironment.Require(Component.Cgroups);
        var containerizer = NewContainerizer();

        // tail keeps a "line" with no newline in memory: 256 MiB of zeros against a 32 MiB limit. The kernel
        // kills tail only; the container as a whole must end (not sleep on for a minute).
        var container = await LaunchAsync(containerizer, "head -c 268435456 /dev/zero | tail -n 1 > /dev/null; sleep 60", new CgroupLimits(1, 32 * MiB));
        var exit = await container.Exited.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exit.OomKilled, exit.Message);
        Assert.False(exit.Succeeded);
        Assert.Contains("memory limit", exit.Message);
        Assert.Empty(Cgroups.List());
    }

    [RequiresFact(Component.Cgroups)]
    public async Task A_cpu_limited_task_is_throttled_to_its_quota()
    {
        TestEnvironment.Require(Component.Cgroups);
        var containerizer = NewContainerizer();
        var container = await LaunchAsync(containerizer, "while :; do :; done", new CgroupLimits(0.2, 64 * MiB));
        var clock = Stopwatch.StartNew();

        await Poll.UntilAsync(() => Task.FromResult(container.Stats()!.ThrottledPeriods >= 10), TimeSpan.FromSeconds(30), "ten throttled CFS periods");
        var stats = container.Stats()!;
        var share = stats.CpuUsage / clock.Elapsed;
        await container.KillAsync(TimeSpan.FromSeconds(1));

        Assert.True(stats.ThrottledTime > TimeSpan.Zero);
        Assert.True(share < 0.35, $"a busy loop limited to 0.2 cpus used {share:0.00} of a cpu");
    }

    [RequiresFact(Component.Cgroups)]
    public async Task A_kill_escalates_to_sigkill_for_a_task_that_ignores_sigterm()
    {
        TestEnvironment.Require(Component.Cgroups);
        var containerizer = NewContainerizer();
        var container = await LaunchAsync(containerizer, "trap '' TERM; echo ready; while :; do sleep 0.1; done", new CgroupLimits(0.5, 64 * MiB));
        await Poll.UntilAsync(async () => (await File.ReadAllTextAsync(Path.Combine(container.Checkpoint.Sandbox, "stdout"))).Contains("ready"), TimeSpan.FromSeconds(10), "the task to trap SIGTERM");
        var clock = Stopwatch.StartNew();

        var exit = await container.KillAsync(TimeSpan.FromMilliseconds(500));

        Assert.True(exit.Killed);
        Assert.Equal(9, exit.Signal);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(450), $"SIGKILL came after {clock.ElapsedMilliseconds} ms, before the grace period");
        Assert.Empty(Cgroups.List());
    }

    [RequiresFact(Component.Cgroups)]
    public async Task A_task_that_honours_sigterm_ends_within_the_grace_period()
    {
        TestEnvironment.Require(Component.Cgroups);
        var containerizer = NewContainerizer();
        var container = await LaunchAsync(containerizer, "trap 'echo bye; exit 3' TERM; echo ready; while :; do sleep 0.1; done", new CgroupLimits(0.5, 64 * MiB));
        await Poll.UntilAsync(async () => (await File.ReadAllTextAsync(Path.Combine(container.Checkpoint.Sandbox, "stdout"))).Contains("ready"), TimeSpan.FromSeconds(10), "the task to trap SIGTERM");

        var exit = await container.KillAsync(TimeSpan.FromSeconds(30)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(exit.Killed);
        Assert.Equal(3, exit.ExitCode);
        Assert.Contains("bye", await File.ReadAllTextAsync(Path.Combine(container.Checkpoint.Sandbox, "stdout")));
    }

    [RequiresFact(Component.Cgroups)]
    public async Task A_task_runs_in_its_sandbox_with_its_environment_and_its_own_session()
    {
        TestEnvironment.Require(Component.Cgroups);
        var containerizer = NewContainerizer();
        var container = await LaunchAsync(
            containerizer,
            "echo \"port=$PORT0 home=$(pwd)\"; echo oops >&2; ps -o sid= -p $$ 2>/dev/null || cat /proc/$$/stat; exit 7",
            new CgroupLimits(0.5, 64 * MiB),
            new Dictionary<string, string> { ["PORT0"] = "31005" });

        var exit = await container.Exited.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(7, exit.ExitCode);
        Assert.Equal("the task exited with code 7: oops", exit.Message); // the stderr's last line says why
        Assert.False(exit.Killed);
        var stdout = await File.ReadAllTextAsync(Path.Combine(container.Checkpoint.Sandbox, "stdout"));
        Assert.Contains($"port=31005 home={container.Checkpoint.Sandbox}", stdout);
        Assert.Equal("oops\n", await File.ReadAllTextAsync(Path.Combine(container.Checkpoint.Sandbox, "stderr")));
        Assert.NotEqual(Environment.ProcessId, container.Checkpoint.TaskPid);
    }

    [RequiresFact(Component.Cgroups)]
    public async Task A_restarted_daemon_recovers_a_running_task_and_learns_how_it_ended()
    {
        TestEnvironment.Require(Component.Cgroups);
        var before = NewContainerizer();
        var running = await LaunchAsync(before, "echo up; read line < /dev/null; while :; do sleep 0.1; done", new CgroupLimits(0.5, 64 * MiB),
            new Dictionary<string, string> { ["DB_PASSWORD"] = "s3cr3t", ["PORT0"] = "31007" });
        var finishing = await LaunchAsync(before, "sleep 0.3; exit 4", new CgroupLimits(0.5, 64 * MiB));

        var after = NewContainerizer(); // a new daemon: only the checkpoints are known
        var recovered = after.Recover(running.Checkpoint);
        await finishing.Exited.WaitAsync(TimeSpan.FromSeconds(30));
        var recoveredFinished = after.Recover(finishing.Checkpoint);

        Assert.Equal(4, (await recoveredFinished.Exited.WaitAsync(TimeSpan.FromSeconds(10))).ExitCode);
        Assert.False(recovered.Exited.IsCompleted);

        // What it was launched with, secrets too (the daemon's records leave them out): its health checks run with it.
        var environment = recovered.Environment();
        Assert.NotNull(environment);
        Assert.Equal("s3cr3t", environment["DB_PASSWORD"]);
        Assert.Equal("31007", environment["PORT0"]);
        Assert.Null(recoveredFinished.Environment());

        var exit = await recovered.KillAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(exit.Killed);
        Assert.Equal(15, exit.Signal);
        Assert.Null(recovered.Environment());
    }

    /// <summary>
    /// The daemon died after the shim started but before it recorded the container (found by the chaos soak: a job's
    /// task that had run was reported "never started" and its due time run again). Its id, written before the launch,
    /// finds it: a task that ended is read from its exit status, one still running is followed and can be killed.
    /// </summary>
    [RequiresFact(Component.Cgroups)]
    public async Task A_launch_the_daemon_died_in_is_found_again_by_its_container_id_alone()
    {
        TestEnvironment.Require(Component.Cgroups);
        var before = NewContainerizer();
        var ended = await LaunchAsync(before, "exit 3", new CgroupLimits(0.5, 64 * MiB));
        var running = await LaunchAsync(before, "while :; do sleep 0.1; done", new CgroupLimits(0.5, 64 * MiB));
        await ended.Exited.WaitAsync(TimeSpan.FromSeconds(30));

        var after = NewContainerizer(); // a new daemon that knows only the ids
        var endedAgain = after.RecoverLaunch(ended.Id, ended.Checkpoint.Sandbox);
        var runningAgain = after.RecoverLaunch(running.Id, running.Checkpoint.Sandbox);

        Assert.Equal(3, (await endedAgain!.Exited.WaitAsync(TimeSpan.FromSeconds(10))).ExitCode);
        Assert.False(runningAgain!.Exited.IsCompleted);
        Assert.Equal(running.Checkpoint.TaskPid, runningAgain.Checkpoint.TaskPid);
        var exit = await runningAgain.KillAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(exit.Killed);
        Assert.Null(after.RecoverLaunch($"c-{Guid.NewGuid():N}", Path.Combine(_work.Path, "sandboxes", "never")));
    }

    [RequiresFact(Component.Cgroups)]
    public async Task A_kill_right_after_the_launch_still_ends_the_task()
    {
        TestEnvironment.Require(Component.Cgroups);
        var containerizer = NewContainerizer();
        for (var i = 0; i < 20; i++)
        {
            // The kill may land before the task became a session leader or joined its cgroup.
            var container = await LaunchAsync(containerizer, "exec sleep 600", new CgroupLimits(0.1, 32 * MiB));
            var exit = await container.KillAsync(TimeSpan.Zero).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(exit.Killed, $"launch {i}: {exit}");
        }
    }

    [RequiresFact(Component.Cgroups)]
    public async Task Tasks_nobody_accounts_for_are_killed_as_orphans()
    {
        TestEnvironment.Require(Component.Cgroups);
        var containerizer = NewContainerizer();
        var known = await LaunchAsync(containerizer, "while :; do sleep 0.1; done", new CgroupLimits(0.5, 64 * MiB));
        var orphan = await LaunchAsync(containerizer, "while :; do sleep 0.1; done", new CgroupLimits(0.5, 64 * MiB));

        // An orphan is a task that runs in its cgroup (a launch returns while the task is still joining it).
        await Poll.UntilAsync(() => Task.FromResult(containerizer.Cgroups!.Open(orphan.Id)!.Processes().Count > 0),
            TimeSpan.FromSeconds(10), "the orphan runs in its cgroup");
        var killed = containerizer.KillOrphans(new HashSet<string> { known.Id });

        Assert.Equal([orphan.Id], killed);
        var exit = await orphan.Exited.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(exit.Signal is not null, $"the orphan should end by a signal: {exit}");
        Assert.False(known.Exited.IsCompleted);
    }

    public void Dispose()
    {
        foreach (var container in _started.Where(c => !c.Exited.IsCompleted))
        {
            container.KillAsync(TimeSpan.Zero).Wait(TimeSpan.FromSeconds(20));
        }

        foreach (var root in new[] { "/sys/fs/cgroup", "/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpuacct", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/pids" })
        {
            var parent = Path.Combine(root, _parent);
            if (Directory.Exists(parent))
            {
                Directory.Delete(parent);
            }
        }

        _work.Dispose();
    }
}

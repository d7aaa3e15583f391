using System.Globalization;
using OrleansDcos.NodeDaemon.Isolation;

namespace OrleansDcos.NodeDaemon.Containerizers.Process;

/// <summary>A running (or ended) process container: its identity, its exit, and the kill that escalates.</summary>
public sealed class ProcessContainer
{
    private readonly ProcessContainerizer _owner;
    private readonly ICgroup? _cgroup;
    private static readonly TimeSpan LimitCheck = TimeSpan.FromMilliseconds(250);
    private volatile bool _killRequested;
    private volatile bool _oomKilled;

    internal ProcessContainer(ProcessContainerizer owner, ContainerCheckpoint checkpoint, ICgroup? cgroup, Task shimExited)
    {
        _owner = owner;
        _cgroup = cgroup;
        Checkpoint = checkpoint;
        Exited = EndAsync(shimExited);
        if (cgroup is not null)
        {
            _ = WatchMemoryAsync(cgroup);
        }
    }

    /// <summary>What to record to find it again after a daemon restart.</summary>
    public ContainerCheckpoint Checkpoint { get; }

    /// <summary>Its id.</summary>
    public string Id => Checkpoint.ContainerId;

    /// <summary>Completes when the task has ended and its cgroup is gone.</summary>
    public Task<ContainerExit> Exited { get; }

    /// <summary>
    /// The environment the task runs with, read from its process (<c>/proc/&lt;pid&gt;/environ</c>): what a daemon that
    /// recovered it knows of what it was launched with, secrets included, which its records leave out. Null when the
    /// task has ended or its environment cannot be read.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Environment()
    {
        try
        {
            var environ = File.ReadAllBytes($"/proc/{Checkpoint.TaskPid.ToString(CultureInfo.InvariantCulture)}/environ");

            // Read, then checked: a pid taken by another process since is not this task's.
            return Native.IsAlive(Checkpoint.TaskPid, Checkpoint.TaskStartTime) ? ProcessEnvironment.Parse(environ) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Its cgroup's counters, or null without a cgroup.</summary>
    public CgroupStats? Stats() => _cgroup?.ReadStats();

    /// <summary>
    /// Kills the task: SIGTERM to its process group, then after <paramref name="grace"/> SIGKILL to the
    /// group and to every process in its cgroup (also those that left the group). Returns when it ended.
    /// </summary>
    public async Task<ContainerExit> KillAsync(TimeSpan grace)
    {
        _killRequested = true;
        if (!Exited.IsCompleted)
        {
            Signal(Native.SIGTERM);
            if (await Task.WhenAny(Exited, Task.Delay(grace)) != Exited)
            {
                // Until it is gone: a kill right after the launch can land before the task became a session
                // leader (no group yet) or joined its cgroup, so the task itself is signalled too, and again.
                while (!Exited.IsCompleted)
                {
                    Signal(Native.SIGKILL);
                    try
                    {
                        if (_cgroup is not null)
                        {
                            ProcessContainerizer.KillAll(_cgroup);
                        }
                    }
                    catch (IOException)
                    {
                        // The cgroup is being removed: the container is ending (Exited completes next).
                    }

                    await Task.WhenAny(Exited, Task.Delay(50));
                }
            }
        }

        return await Exited;
    }

    /// <summary>Signals the task's process group and, while it is still the process it was, the task itself.</summary>
    private void Signal(int signal)
    {
        Native.Signal(-Checkpoint.TaskPid, signal);
        if (Native.IsAlive(Checkpoint.TaskPid, Checkpoint.TaskStartTime))
        {
            Native.Signal(Checkpoint.TaskPid, signal);
        }
    }

    /// <summary>
    /// The kernel's OOM killer may pick any process of the task (a child in a pipeline, say) and leave the
    /// rest running: as Mesos' memory isolator, a container that hit its limit is ended as a whole.
    /// </summary>
    private async Task WatchMemoryAsync(ICgroup cgroup)
    {
        using var timer = new PeriodicTimer(LimitCheck);
        while (!Exited.IsCompleted && await timer.WaitForNextTickAsync())
        {
            try
            {
                if (cgroup.ReadStats().OomKills > 0)
                {
                    _oomKilled = true;
                    Native.Signal(-Checkpoint.TaskPid, Native.SIGKILL);
                    ProcessContainerizer.KillAll(cgroup);
                    return;
                }
            }
            catch (IOException)
            {
                return; // the cgroup is gone: the container has ended
            }
        }
    }

    private async Task<ContainerExit> EndAsync(Task shimExited)
    {
        await shimExited;
        var run = _owner.RunDirectory(Id);
        var exitFile = Path.Combine(run, "exit");
        var stats = _cgroup?.ReadStats();
        int? code = File.Exists(exitFile) && int.TryParse(File.ReadAllText(exitFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : null;

        // Whatever the task left behind (daemonized children) goes with it.
        if (_cgroup is not null)
        {
            await Task.Run(() =>
            {
                ProcessContainerizer.KillAll(_cgroup);
                _cgroup.Destroy();
            });
        }
        else if (Native.IsAlive(Checkpoint.TaskPid, Checkpoint.TaskStartTime))
        {
            Native.Signal(-Checkpoint.TaskPid, Native.SIGKILL);
        }

        var oom = _oomKilled || stats is { OomKills: > 0 };
        var killed = _killRequested;
        if (oom)
        {
            return new ContainerExit(code is > 128 and < 160 ? null : code, code is > 128 and < 160 ? code - 128 : null, true, killed,
                $"memory limit exceeded: the kernel's OOM killer ended a process of the task, so the task was killed ({(stats?.MemoryBytes ?? 0) / (1024 * 1024)} MiB in use at the end)");
        }

        return code switch
        {
            null => new ContainerExit(null, null, oom, killed, $"the task's supervisor ended without its exit status ({ProcessContainerizer.ReadShimLog(run)}); the task was killed"),
            125 when !killed => new ContainerExit(125, null, false, false, "the task could not join its cgroup"),
            > 128 and < 160 => new ContainerExit(null, code - 128, false, killed, $"the task was terminated by signal {code - 128}"),
            _ => new ContainerExit(code, null, oom, killed, code == 0 ? "the task exited with code 0" : SandboxStderr.Explain($"the task exited with code {code}", Checkpoint.Sandbox)),
        };
    }
}

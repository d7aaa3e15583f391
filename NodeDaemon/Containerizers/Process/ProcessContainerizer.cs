using System.Diagnostics;
using System.Globalization;
using OrleansDcos.NodeDaemon.Isolation;

namespace OrleansDcos.NodeDaemon.Containerizers.Process;

/// <summary>
/// Runs tasks as plain processes, each in its own session (so a kill reaches its whole process group) and
/// its own cgroup (cpu quota and weight, memory limit, pids limit; v1 or v2). A tiny <c>sh</c> shim is the
/// task's parent: it joins the task to the cgroup before <c>exec</c>, waits for it and writes its exit
/// status to the container's run directory — so a task keeps running, and its exit is still known, when
/// the daemon dies and comes back (<see cref="Recover"/>).
/// </summary>
public sealed class ProcessContainerizer(ICgroups? cgroups, string runRoot)
{
    // $1 run dir, $2 sandbox, $3 cgroup.procs files (space separated), then the task's argv.
    // The subshell writes 0 (itself) into each cgroup.procs, then becomes a session leader and the task.
    private const string Shim = """
        exec 2>>"$1/shim.log"
        run=$1; sandbox=$2; procs=$3; shift 3
        echo $$ > "$run/shim.pid"
        cd "$sandbox" || exit 126
        (
          for f in $procs; do echo 0 > "$f" || exit 125; done
          exec setsid "$@"
        ) </dev/null >>"$sandbox/stdout" 2>>"$sandbox/stderr" &
        echo $! > "$run/task.pid.tmp" && mv "$run/task.pid.tmp" "$run/task.pid"
        echo $!
        exec >/dev/null
        wait $!
        code=$?
        echo $code > "$run/exit.tmp" && mv "$run/exit.tmp" "$run/exit"
        """;

    // Triples of source, target, rw|ro until "--", then the task's argv.
    private const string MountScript = """
        while [ "$1" != "--" ]; do
          mount --bind "$1" "$2" || exit 124
          if [ "$3" = ro ]; then mount -o remount,bind,ro "$2" || exit 124; fi
          shift 3
        done
        shift
        exec "$@"
        """;

    /// <summary>True when process tasks can get bind mounts: the daemon runs as root and <c>unshare</c> is there.</summary>
    public static bool CanBindMount { get; } = !OperatingSystem.IsWindows() && Environment.UserName == "root"
        && new[] { "/usr/bin/unshare", "/bin/unshare" }.Any(File.Exists);

    /// <summary>The cgroups in use, or null when the machine offers none.</summary>
    public ICgroups? Cgroups => cgroups;

    /// <summary>Starts a container; returns once the task's process exists (in its cgroup, about to exec).</summary>
    public async Task<ProcessContainer> LaunchAsync(ContainerLaunch launch, CancellationToken cancellationToken = default)
    {
        var run = RunDirectory(launch.ContainerId);
        Directory.CreateDirectory(run);
        Directory.CreateDirectory(launch.Sandbox);
        var argv = launch.Command.ToArgv();
        if (launch.User is { } user)
        {
            var (uid, gid) = LookUpUser(user);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(launch.Sandbox, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
            }

            Chown(launch.Sandbox, uid, gid);
            argv = ["setpriv", $"--reuid={uid}", $"--regid={gid}", "--init-groups", "--", .. argv];
        }

        if (launch.Mounts is { Count: > 0 } mounts)
        {
            // Its own mount namespace (private: nothing leaks to the host), the binds made as root, then the task (and
            // its user switch) in place of the script: one process all along, so its pid is the task's.
            argv = ["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", MountScript, "dcos-mounts",
                .. mounts.SelectMany(m => new[] { m.Source, m.Target, m.ReadOnly ? "ro" : "rw" }), "--", .. argv];
        }

        var cgroup = launch.Limits is { } limits && cgroups is not null ? cgroups.Create(launch.ContainerId, limits) : null;
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = launch.Sandbox,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Shim);
        start.ArgumentList.Add("dcos-shim");
        start.ArgumentList.Add(run);
        start.ArgumentList.Add(launch.Sandbox);
        start.ArgumentList.Add(string.Join(' ', cgroup?.ProcsFiles ?? []));
        foreach (var arg in argv)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Clear();
        foreach (var (name, value) in launch.Environment)
        {
            start.Environment[name] = value;
        }

        if (!start.Environment.ContainsKey("PATH"))
        {
            start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        }

        var shim = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("the shim did not start");
        var shimStart = Native.StartTime(shim.Id);
        var pidLine = await shim.StandardOutput.ReadLineAsync(cancellationToken);
        if (!int.TryParse(pidLine, NumberStyles.Integer, CultureInfo.InvariantCulture, out var taskPid) || shimStart is null)
        {
            await shim.WaitForExitAsync(cancellationToken);
            cgroup?.Destroy();
            throw new InvalidOperationException($"container {launch.ContainerId} did not start: {ReadShimLog(run)}");
        }

        var checkpoint = new ContainerCheckpoint(launch.ContainerId, launch.Sandbox, shim.Id, shimStart.Value, taskPid, Native.StartTime(taskPid) ?? 0, cgroup is not null);
        return new ProcessContainer(this, checkpoint, cgroup, shim.WaitForExitAsync());
    }

    /// <summary>
    /// Finds a container again after the daemon restarted: still running (watched until it ends), or ended
    /// meanwhile (its exit status is read from its run directory; a task whose shim died is killed and ends as
    /// lost to the daemon).
    /// </summary>
    public ProcessContainer Recover(ContainerCheckpoint checkpoint)
    {
        var cgroup = checkpoint.Cgroup ? cgroups?.Open(checkpoint.ContainerId) : null;
        return new ProcessContainer(this, checkpoint, cgroup, WatchAsync(checkpoint.ShimPid, checkpoint.ShimStartTime));
    }

    /// <summary>
    /// Finds a container whose launch the daemon had begun but not recorded when it died: from what the shim wrote in
    /// its run directory (its pid, the task's pid, the exit status), so a task that ran — or runs — is followed to
    /// its real end instead of reported as never started. Null when the launch never got as far as the shim.
    /// </summary>
    public ProcessContainer? RecoverLaunch(string containerId, string sandbox)
    {
        var run = RunDirectory(containerId);
        var shimPid = ReadPid(Path.Combine(run, "shim.pid"));
        if (shimPid is null)
        {
            return null;
        }

        // The shim forks the task right after it wrote its own pid: give it a moment to write the task's.
        var shimStart = Native.StartTime(shimPid.Value);
        var taskPid = ReadPid(Path.Combine(run, "task.pid"));
        for (var wait = 0; taskPid is null && shimStart is not null && Native.IsAlive(shimPid.Value, shimStart.Value) && wait < 50; wait++)
        {
            Thread.Sleep(20);
            taskPid = ReadPid(Path.Combine(run, "task.pid"));
        }

        if (taskPid is null)
        {
            return null;
        }

        // A pid the kernel has given to another process since is not the shim's: the shim's command line names the run.
        var alive = shimStart is not null && File.Exists($"/proc/{shimPid}/cmdline")
            && File.ReadAllText($"/proc/{shimPid}/cmdline").Contains(run, StringComparison.Ordinal);
        var checkpoint = new ContainerCheckpoint(containerId, sandbox, alive ? shimPid.Value : 0, alive ? shimStart!.Value : 0,
            taskPid.Value, Native.StartTime(taskPid.Value) ?? 0, cgroups?.Open(containerId) is not null);
        return Recover(checkpoint);
    }

    private static int? ReadPid(string file) =>
        File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;

    /// <summary>Kills and removes every container cgroup not in <paramref name="known"/> (tasks nobody can account for).</summary>
    public IReadOnlyList<string> KillOrphans(IReadOnlySet<string> known)
    {
        if (cgroups is null)
        {
            return [];
        }

        var orphans = cgroups.List().Where(name => !known.Contains(name)).ToArray();
        foreach (var name in orphans)
        {
            if (cgroups.Open(name) is { } cgroup)
            {
                // A task still joining its cgroup (its launch in flight) is not listed by the first look, and a
                // cgroup with a member cannot be removed: kill whatever is in it until it can be (a task that tries
                // to join after that finds no cgroup and does not start).
                for (var attempt = 1; ; attempt++)
                {
                    KillAll(cgroup);
                    try
                    {
                        cgroup.Destroy();
                        break;
                    }
                    catch (IOException) when (attempt < 50)
                    {
                        Thread.Sleep(20);
                    }
                    catch (IOException)
                    {
                        // Still busy (killed processes not yet reaped): its processes are dead; the next sweep removes it.
                        break;
                    }
                }
            }
        }

        return orphans;
    }

    internal string RunDirectory(string containerId) => Path.Combine(runRoot, containerId);

    /// <summary>SIGKILLs every process in <paramref name="cgroup"/> until it is empty.</summary>
    internal static void KillAll(ICgroup cgroup)
    {
        for (var round = 0; round < 100; round++)
        {
            var processes = cgroup.Processes();
            if (processes.Count == 0)
            {
                return;
            }

            foreach (var pid in processes)
            {
                Native.Signal(pid, Native.SIGKILL);
            }

            Thread.Sleep(10); // forks racing the kill show up on the next read
        }
    }

    internal static string ReadShimLog(string run)
    {
        var log = Path.Combine(run, "shim.log");
        return File.Exists(log) && File.ReadAllText(log).Trim() is { Length: > 0 } text ? text : "no reason given";
    }

    private static async Task WatchAsync(int pid, long startTime)
    {
        // Not our child any more: poll its liveness (pid + start time) — there is no wait(2) for it.
        while (Native.IsAlive(pid, startTime))
        {
            await Task.Delay(200);
        }
    }

    private static (int Uid, int Gid) LookUpUser(string user)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == user)
            {
                return (int.Parse(fields[2], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture));
            }
        }

        throw new ArgumentException($"user '{user}' does not exist on this agent");
    }

    private static void Chown(string path, int uid, int gid)
    {
        using var chown = System.Diagnostics.Process.Start("chown", [$"{uid}:{gid}", path]);
        chown.WaitForExit();
        if (chown.ExitCode != 0)
        {
            throw new IOException($"cannot give the sandbox {path} to uid {uid}");
        }
    }
}

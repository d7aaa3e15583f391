using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;
using OrleansDcos.NodeDaemon.Containerizers.Docker;
using OrleansDcos.NodeDaemon.Containerizers.Process;
using OrleansDcos.NodeDaemon.Fetcher;
using OrleansDcos.NodeDaemon.Health;
using OrleansDcos.NodeDaemon.Isolation;
using OrleansDcos.NodeDaemon.Metrics;
using OrleansDcos.NodeDaemon.Tasks;
using OrleansDcos.NodeDaemon.Volumes;
using OrleansDcos.Scheduling.Agents;
using OrleansDcos.Scheduling.Time;

namespace OrleansDcos.NodeDaemon.Agent;

/// <summary>The daemon's part that runs one task (its own file: the task's life from launch to its last update).</summary>
public sealed partial class AgentDaemon
{
    /// <summary>One task: launch, health, kill, and the updates that say so.</summary>
    private sealed class TaskRunner(AgentDaemon daemon, TaskRecord record)
    {
        private readonly Lock _lock = new();
        private readonly Lock _saving = new();
        private readonly CancellationTokenSource _watch = new();

        /// <summary>Set once TASK_RUNNING is journaled: health results are reported only after it, never instead of it.</summary>
        private readonly TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously); // RUNNING (or KILLING) reported: an exit may follow
        private Func<TimeSpan, Task<ContainerExit>>? _kill;
        private bool _killing;
        private string? _killReason;
        private TimeSpan? _killGrace;
        private string? _limitMessage;

        private Func<CgroupStats?>? _stats;

        public TaskRecord Record { get; private set; } = record;

        /// <summary>What its cgroup measures now; null without one (Docker's containers, no cgroups) or once it is gone.</summary>
        public TaskUsage? Usage()
        {
            try
            {
                return _stats?.Invoke() is { } stats
                    ? new TaskUsage(daemon.AgentId, Spec.FrameworkId, Spec.TaskId, stats, ScalarOf(Spec.Resources, "cpus"), ScalarOf(Spec.Resources, "mem") * 1024 * 1024)
                    : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                return null; // the cgroup went away with the task
            }
        }

        private TaskSpec Spec => Record.Spec;

        public AgentTask Report() => new(Spec.TaskId, Spec.FrameworkId, Spec.Name, Spec.Role, Spec.Resources, Record.State, Discovery: Spec.Discovery);

        public void StopWatching() => _watch.Cancel();

        /// <summary>Records the GPUs the task holds (checkpointed with it).</summary>
        public void HoldGpus(IReadOnlyList<int> devices) => Record = Record with { GpuDevices = devices };

        /// <summary>Launches the task; whatever fails on the way ends it with a terminal update that says why.</summary>
        public async Task StartAsync(CancellationToken stop)
        {
            try
            {
                await LaunchAsync(stop);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && stop.IsCancellationRequested))
            {
                DaemonLog.LaunchFailed(daemon._logger, Spec.TaskId, ex.Message);
                try
                {
                    await ReportAsync(TaskState.TASK_FAILED, TaskReasons.LaunchFailed, $"the launch failed: {ex.Message}");
                }
                catch (Exception report) when (report is IOException or UnauthorizedAccessException)
                {
                    DaemonLog.FailureNotJournaled(daemon._logger, Spec.TaskId, report.Message);
                }
            }
        }

        private async Task LaunchAsync(CancellationToken stop)
        {
            if (MesosIds.Problem(Spec.TaskId, "task_id") is { } badId)
            {
                // The master refuses such ids; one that got here anyway gets no sandbox.
                await ReportAsync(TaskState.TASK_ERROR, TaskReasons.TaskInvalid, badId);
                return;
            }

            var sandbox = daemon.SandboxOf(Spec.TaskId);
            Directory.CreateDirectory(sandbox);
            Checkpoint();
            await ReportAsync(TaskState.TASK_STARTING, null, null);
            if (Spec.Docker is not null && daemon._docker is null)
            {
                await ReportAsync(TaskState.TASK_FAILED, TaskReasons.LaunchFailed, $"no Docker engine answers on {daemon._options.DockerSocket}: this agent cannot run Docker tasks");
                return;
            }

            if (Spec.Command is null && Spec.Docker is null)
            {
                await ReportAsync(TaskState.TASK_ERROR, TaskReasons.TaskInvalid, "the task has no command");
                return;
            }

            if (Spec.MissingSecrets is { Count: > 0 } missing)
            {
                await ReportAsync(TaskState.TASK_FAILED, TaskReasons.LaunchFailed, $"the secret store has no {string.Join(", ", missing)} (deleted since the app was deployed, or no cluster key)");
                return;
            }

            var command = Spec.Command ?? new CommandSpec(null, Shell: false);
            try
            {
                await daemon._fetcher.FetchAllAsync((command.Uris ?? []).Select(u => new FetchUri(u.Value, u.Extract, u.Executable, u.Cache, u.OutputFile)), sandbox, stop);
            }
            catch (FetchException ex)
            {
                await ReportAsync(TaskState.TASK_FAILED, TaskReasons.LaunchFailed, $"Failed to fetch all URIs for container: {ex.Message}");
                return;
            }

            if (daemon.AssignGpus(this) is not { } gpus)
            {
                await ReportAsync(TaskState.TASK_FAILED, TaskReasons.LaunchFailed, $"{ScalarOf(Spec.Resources, "gpus")} GPU(s) wanted; the agent has no more free");
                return;
            }

            var environment = BaseEnvironment(command, sandbox)
                .Concat(GpuAssignment.Environment(daemon.AgentGpus, gpus))
                .Concat(Spec.Secrets ?? new Dictionary<string, string>())
                .GroupBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
            ContainerCommand? argv = command.Shell ? ContainerCommand.ShellCommand(command.Value!)
                : command.Arguments is { Count: > 0 } args ? new ContainerCommand(false, null, args)
                : command.Value is { } program ? ContainerCommand.Argv(program)
                : null;
            var mode = Spec.Docker is not null ? MountMode.Docker : ProcessContainerizer.CanBindMount ? MountMode.Bind : MountMode.Link;
            var mounts = daemon._volumes.Attach(Spec.Resources, sandbox, mode)
                .Concat(SandboxLinks.Attach(daemon.ResolvePersistentMounts(Spec), sandbox, Spec.GroupId is { } group ? daemon.SandboxOf(GroupDirectoryPrefix + group) : sandbox, mode))
                .ToList();
            var cpus = Math.Max(0.01, ScalarOf(Spec.Resources, "cpus"));
            var memory = (long)(Math.Max(4, ScalarOf(Spec.Resources, "mem")) * 1024 * 1024);
            lock (_lock)
            {
                if (_killing)
                {
                    _ = ReportAsync(TaskState.TASK_KILLED, TaskReasons.TaskKilledDuringLaunch, "killed before it started");
                    return;
                }
            }

            // Its id is written first: a daemon that dies before the container is recorded finds it by that id.
            var containerId = ContainerIdOf(Spec.TaskId);
            Record = Record with { LaunchingContainer = containerId };
            Checkpoint();
            bool killedMeanwhile;
            if (Spec.Docker is { } docker)
            {
                var container = await daemon._docker!.LaunchAsync(new DockerLaunch(containerId, Spec.TaskId, docker.Image, docker.ForcePullImage, argv, sandbox,
                    environment, cpus, memory, [.. (docker.Volumes ?? []).Select(v => $"{daemon._volumes.HostPathOf(v.HostPath, Spec.Resources, sandbox)}:{v.ContainerPath}:{(v.Mode == "RO" ? "ro" : "rw")}"), .. mounts.Select(m => m.DockerBind)]), stop);
                Record = Record with { DockerId = container.Id };
                killedMeanwhile = Adopt(container.Exited, container.KillAsync, environment);
            }
            else
            {
                var container = await daemon._containerizer.LaunchAsync(new ContainerLaunch(containerId, sandbox, argv!, environment, new CgroupLimits(cpus, memory), command.User, mounts), stop);
                Record = Record with { Container = container.Checkpoint };
                _stats = container.Stats;
                killedMeanwhile = Adopt(container.Exited, container.KillAsync, environment);
            }

            try
            {
                if (!killedMeanwhile)
                {
                    await ReportAsync(TaskState.TASK_RUNNING, null, null); // a task killed while it started goes to KILLING, not RUNNING
                }
            }
            finally
            {
                _started.TrySetResult(); // a quick exit waits for this: RUNNING is told before FINISHED
            }
        }

        /// <summary>The environment Mesos and Marathon give the task (without its GPUs and secrets, which only its launch knows).</summary>
        private IEnumerable<KeyValuePair<string, string>> BaseEnvironment(CommandSpec command, string sandbox) => TaskEnvironment.Build(
            new TaskEnvironmentSource(Spec.TaskId, daemon.Hostname, sandbox, Record.Ports, ScalarOf(Spec.Resources, "cpus"), ScalarOf(Spec.Resources, "mem"),
                ScalarOf(Spec.Resources, "disk"), (int)ScalarOf(Spec.Resources, "gpus"), Spec.FrameworkId,
                AppId: command.Environment?.GetValueOrDefault("MARATHON_APP_ID"), AppVersion: command.Environment?.GetValueOrDefault("MARATHON_APP_VERSION"), Labels: Spec.Labels),
            command.Environment);

        /// <summary>
        /// The environment a recovered task's health checks run with: found by the chaos soak — without it a task the
        /// daemon recovered was never checked again, so one not yet healthy stayed so and held its deployment forever.
        /// A process task's own (<paramref name="launched"/>: its GPUs and secrets too); else the one Mesos and
        /// Marathon give it, which the daemon's records hold (a Docker task's checks go without its secrets and GPUs).
        /// </summary>
        private IReadOnlyDictionary<string, string> RecoveredEnvironment(IReadOnlyDictionary<string, string>? launched = null) =>
            launched ?? BaseEnvironment(Spec.Command ?? new CommandSpec(null, Shell: false), daemon.SandboxOf(Spec.TaskId))
                .GroupBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);

        /// <summary>
        /// Takes up the task an earlier run of the daemon left (its container followed, its health checked, its end told);
        /// completes once its container is known, so that the orphan sweep after spares it.
        /// </summary>
        public Task RecoverAsync()
        {
            if (Record.State.IsTerminal())
            {
                return Task.CompletedTask;
            }

            if (Record.DockerId is not null || (Spec.Docker is not null && Record.LaunchingContainer is not null))
            {
                if (daemon._docker is not { } containerizer)
                {
                    _ = ReportAsync(TaskState.TASK_FAILED, TaskReasons.AgentRestarted, "the agent restarted and no Docker engine answers to find the container again");
                    return Task.CompletedTask;
                }

                if (Record.DockerId is not { } dockerId)
                {
                    return RecoverDockerLaunchAsync(containerizer, Record.LaunchingContainer!);
                }

                var docker = containerizer.Recover(dockerId, daemon.SandboxOf(Spec.TaskId));
                _started.TrySetResult(); // told RUNNING in its earlier life
                _ = Adopt(docker.Exited, docker.KillAsync, RecoveredEnvironment());
                return Task.CompletedTask;
            }

            var container = Record.Container is { } checkpoint ? daemon._containerizer.Recover(checkpoint)
                : Record.LaunchingContainer is { } launching ? daemon._containerizer.RecoverLaunch(launching, daemon.SandboxOf(Spec.TaskId))
                : null;
            if (container is null)
            {
                // It never started before the daemon died.
                _ = ReportAsync(TaskState.TASK_FAILED, TaskReasons.AgentRestarted, "the agent restarted before the task started");
                return Task.CompletedTask;
            }

            _stats = container.Stats;
            if (Record.Container is null)
            {
                // Started in the daemon's last moments, never told RUNNING: recorded now, told RUNNING, then its end.
                Record = Record with { Container = container.Checkpoint };
                Checkpoint();
                _ = TellRunningAsync();
            }
            else
            {
                _started.TrySetResult(); // told RUNNING in its earlier life
            }

            _ = Adopt(container.Exited, container.KillAsync, RecoveredEnvironment(container.Environment()));
            return Task.CompletedTask;
        }

        /// <summary>
        /// A Docker task whose daemon died between launching its container and recording it: found by the container's
        /// name — told RUNNING and followed to its end if it started, else reported as never started.
        /// </summary>
        private async Task RecoverDockerLaunchAsync(DockerContainerizer containerizer, string containerId)
        {
            DockerTaskContainer? docker;
            try
            {
                docker = await containerizer.RecoverLaunchAsync(containerId, daemon.SandboxOf(Spec.TaskId));
            }
            catch (InvalidOperationException ex)
            {
                _ = ReportAsync(TaskState.TASK_FAILED, TaskReasons.AgentRestarted, $"the agent restarted while launching the task and cannot find its container again: {ex.Message}");
                return;
            }

            if (docker is null)
            {
                _ = ReportAsync(TaskState.TASK_FAILED, TaskReasons.AgentRestarted, "the agent restarted before the task started");
                return;
            }

            Record = Record with { DockerId = docker.Id };
            Checkpoint();
            _ = TellRunningAsync();
            _ = Adopt(docker.Exited, docker.KillAsync, RecoveredEnvironment());
        }

        private async Task TellRunningAsync()
        {
            try
            {
                await ReportAsync(TaskState.TASK_RUNNING, null, null);
            }
            finally
            {
                _started.TrySetResult(); // its end is told after
            }
        }

        /// <summary>The task is over a limit (<paramref name="reason"/>, e.g. the disk's): killed, and FAILED with <paramref name="message"/>.</summary>
        public Task KillForLimitAsync(string reason, string message)
        {
            _limitMessage = message;
            return KillAsync(null, reason);
        }

        /// <summary>What the task's disk limits are measured against: its sandbox and the host directories of its volumes.</summary>
        public (string Sandbox, double SandboxLimitMb, IReadOnlyList<(string Id, string Path, double LimitMb)> Volumes) DiskLimits()
        {
            var volumes = Spec.Resources.Volumes.ToList();
            var sandboxDisk = ScalarOf(Spec.Resources, "disk") - volumes.Sum(v => v.Scalar.ToDouble());
            return (daemon.SandboxOf(Spec.TaskId), Math.Max(0, sandboxDisk),
                [.. volumes.Select(v => (v.Volume!.Id, daemon._volumes.PathOf(v), v.Scalar.ToDouble()))]);
        }

        public async Task KillAsync(TimeSpan? grace, string? reason)
        {
            Func<TimeSpan, Task<ContainerExit>>? kill;
            lock (_lock)
            {
                if (Record.State.IsTerminal() || _killing)
                {
                    return;
                }

                _killing = true;
                _killReason = reason;
                _killGrace = grace;
                kill = _kill;
            }

            if (kill is null)
            {
                return; // StartAsync sees _killing before it launches, or Adopt once the container is there
            }

            await SignalAsync(kill, grace, reason);
        }

        private async Task SignalAsync(Func<TimeSpan, Task<ContainerExit>> kill, TimeSpan? grace, string? reason)
        {
            await ReportAsync(TaskState.TASK_KILLING, null, reason);
            if (Spec.ShutdownDelaySeconds is > 0 and var delay)
            {
                // Out of DNS and the load balancers (TASK_KILLING) before the signal: the requests routed to it finish.
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(delay, 300)), daemon._time);
            }

            await kill(grace ?? TimeSpan.FromSeconds(Spec.KillGracePeriodSeconds ?? 3));
        }

        /// <summary>
        /// Writes the task's record. Launch, health checks and the exit watcher report concurrently, and two writers
        /// of one record would race on its temporary file (one rename finds it gone): one at a time, each writing the
        /// record as it is then, so the last write is the newest.
        /// </summary>
        private void Checkpoint()
        {
            lock (_saving)
            {
                try
                {
                    daemon.Save(Record);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The journal still carries the task's updates; only its recovery after a daemon restart is lost.
                    DaemonLog.RecordNotWritten(daemon._logger, Spec.TaskId, ex.Message);
                }
            }
        }

        /// <summary>
        /// Takes the started (or recovered) container in hand; true when a kill came in while it was being started — it
        /// is signalled now, which the kill itself could not do without the container.
        /// </summary>
        private bool Adopt(Task<ContainerExit> exited, Func<TimeSpan, Task<ContainerExit>> kill, IReadOnlyDictionary<string, string>? environment)
        {
            bool killed;
            lock (_lock)
            {
                _kill = kill;
                killed = _killing;
            }

            Checkpoint();
            _ = WatchAsync(exited);
            if (Spec.HealthCheck is { } check && environment is not null)
            {
                _ = HealthAsync(check, environment);
            }

            if (killed)
            {
                _ = SignalAsync(kill, _killGrace, _killReason);
            }

            return killed;
        }

        private async Task WatchAsync(Task<ContainerExit> exited)
        {
            ContainerExit exit;
            try
            {
                exit = await exited.WaitAsync(_watch.Token);
                await _started.Task.WaitAsync(_watch.Token); // a task that ends at once was RUNNING first, as Mesos reports it
            }
            catch (OperationCanceledException)
            {
                return; // the daemon stops; the task runs on
            }

            var (state, reason) = ExitClassifier.Classify(exit.OomKilled, exit.Killed, exit.Succeeded, _killing ? _killReason ?? "" : null);
            await ReportAsync(state, reason, _limitMessage ?? exit.Message);
            if (state == TaskState.TASK_FAILED && Spec.GroupId is { } group)
            {
                // As Mesos' default executor: a task of a group that fails takes the rest of its group with it.
                daemon.KillGroup(group, Spec.TaskId);
            }
        }

        private async Task HealthAsync(HealthCheckSpecDto check, IReadOnlyDictionary<string, string> environment)
        {
            var port = check.Port is > 0 ? check.Port.Value : check.PortIndex is { } i && i < Record.Ports.Count ? Record.Ports[i] : Record.Ports.FirstOrDefault();
            var protocol = check.Protocol.ToUpperInvariant() switch
            {
                "HTTPS" => HealthCheckProtocol.Https,
                "TCP" => HealthCheckProtocol.Tcp,
                "COMMAND" => HealthCheckProtocol.Command,
                _ => HealthCheckProtocol.Http,
            };
            static TimeSpan? Seconds(double? s) => s is { } v ? TimeSpan.FromSeconds(v) : null;
            var spec = new HealthCheckSpec(protocol, "127.0.0.1", port, check.Path ?? "/", check.Command,
                Seconds(check.GracePeriodSeconds), Seconds(check.IntervalSeconds), Seconds(check.TimeoutSeconds), check.MaxConsecutiveFailures ?? 3, Seconds(check.DelaySeconds));
            var checker = new HealthChecker(spec, daemon.SandboxOf(Spec.TaskId), environment, daemon._time);
            try
            {
                // The checks start with the container, but a result is only worth reporting once the task is RUNNING: a
                // first success seen earlier would be dropped, and the checker reports only changes, so the task would
                // never be told healthy.
                if (Record.State != TaskState.TASK_RUNNING)
                {
                    await _running.Task.WaitAsync(_watch.Token);
                }

                await checker.RunAsync(async change =>
                {
                    if (Record.State != TaskState.TASK_RUNNING)
                    {
                        return;
                    }

                    // A check that gave up says so (REASON_TASK_UNHEALTHY); the agent kills the task unless the framework
                    // decides itself (Marathon kills within a rate limit).
                    DaemonLog.Health(daemon._logger, Spec.TaskId, change.GaveUp ? "unhealthy, checks given up" : change.Healthy ? "healthy" : "unhealthy", change.Message);
                    await ReportAsync(TaskState.TASK_RUNNING, change.GaveUp ? TaskReasons.Unhealthy : TaskReasons.HealthCheckUpdated, change.Message, change.Healthy);
                    if (change.GaveUp && check.KillOnFailure)
                    {
                        await KillAsync(null, TaskReasons.Unhealthy);
                    }
                }, _watch.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        private async Task ReportAsync(TaskState state, string? reason, string? message, bool? healthy = null)
        {
            lock (_lock)
            {
                if (Record.State.IsTerminal())
                {
                    return;
                }

                Record = Record with { State = state };
            }

            Checkpoint();
            await daemon._updates.RecordAsync(new TaskStatusUpdate(Spec.TaskId, Spec.FrameworkId, state, Guid.NewGuid(),
                UnixTime.Seconds(daemon._time.GetUtcNow()), reason, message, healthy, Record.Container?.ContainerId));
            if (state == TaskState.TASK_RUNNING)
            {
                _running.TrySetResult();
            }

            if (state.IsTerminal())
            {
                _watch.Cancel();
            }
        }

        private static string ContainerIdOf(string taskId)
        {
            var safe = new string(taskId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
            return $"{safe[..Math.Min(40, safe.Length)]}-{Guid.NewGuid():N}";
        }
    }
}

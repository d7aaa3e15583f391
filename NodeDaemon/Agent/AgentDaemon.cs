using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.NodeDaemon.Containerizers.Docker;
using OrleansDcos.NodeDaemon.Containerizers.Process;
using OrleansDcos.NodeDaemon.Fetcher;
using OrleansDcos.NodeDaemon.Health;
using OrleansDcos.NodeDaemon.Isolation;
using OrleansDcos.NodeDaemon.Sandboxes;
using OrleansDcos.NodeDaemon.StatusUpdates;
using OrleansDcos.NodeDaemon.Tasks;
using OrleansDcos.Mesos;
using OrleansDcos.AgentLink;

using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.NodeDaemon.Agent;

/// <summary>What the daemon keeps per task on disk: the launch, the container to find again, the last state.</summary>
public sealed record TaskRecord(TaskSpec Spec, IReadOnlyList<int> Ports, ContainerCheckpoint? Container, TaskState State, string? DockerId = null);

/// <summary>
/// The node daemon: enrolls over the agent link (docs/agent-protocol.md) through one of its gateways, heartbeats,
/// runs what the master launches (fetch → process container with cgroup limits → health checks), journals every
/// status update before sending it and resends until acknowledged, and on restart re-adopts its running
/// containers from their checkpoints, reports those that ended meanwhile, kills orphans, and re-registers
/// with what it runs. A lost link is re-made to the next gateway.
/// </summary>
public sealed partial class AgentDaemon : IAgentLinkHandler, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly DaemonOptions _options;
    private readonly ILogger _logger;
    private readonly ProcessContainerizer _containerizer;
    private readonly UriFetcher _fetcher;
    private readonly StatusUpdateManager _updates;
    private readonly ConcurrentDictionary<string, TaskRunner> _tasks = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _metaDirectory;
    private readonly string _sandboxRoot;
    private DockerContainerizer? _docker;
    private readonly AgentLinkClient _link;
    private Task? _gc;

    /// <summary>Creates the daemon over its work directory (nothing runs until <see cref="StartAsync"/>).</summary>
    public AgentDaemon(DaemonOptions options, ILogger logger)
    {
        options.Validate();
        _options = options;
        _logger = logger;
        var work = Path.GetFullPath(options.WorkDirectory);
        Directory.CreateDirectory(work);
        _metaDirectory = Path.Combine(work, "meta", "tasks");
        _sandboxRoot = Path.Combine(work, "sandboxes");
        Directory.CreateDirectory(_metaDirectory);
        Directory.CreateDirectory(_sandboxRoot);
        AgentId = options.AgentId ?? LoadOrCreateAgentId(work);
        Hostname = options.Hostname ?? Environment.MachineName;
        Resources = ResourceDetector.Detect(work, options.Resources);
        // One parent cgroup per agent: two daemons on a machine (or a test beside a daemon) never take each
        // other's containers for orphans.
        var cgroups = Cgroups.DetectUsable(options.CgroupRoot, CgroupParentOf(AgentId));
        if (cgroups is null)
        {
            logger.LogWarning("no usable cgroups under {Root}: tasks run without cpu and memory limits", options.CgroupRoot);
        }

        _containerizer = new ProcessContainerizer(cgroups, Path.Combine(work, "run"));
        _fetcher = new UriFetcher(Path.Combine(work, "fetch-cache"));
        _updates = new StatusUpdateManager(Path.Combine(work, "updates"), SendUpdateAsync);
        _link = new AgentLinkClient(new AgentLinkClientOptions { Gateways = options.Gateways, Token = options.Token }, this, logger);
    }

    /// <summary>The agent's id.</summary>
    public string AgentId { get; }

    /// <summary>The hostname reported.</summary>
    public string Hostname { get; }

    /// <summary>The resources offered (Mesos syntax).</summary>
    public string Resources { get; }

    /// <summary>True while registered on a live link.</summary>
    public bool Registered => _link.Connected;

    /// <summary>The tasks it has, with their state.</summary>
    public IReadOnlyDictionary<string, TaskState> Tasks => _tasks.ToDictionary(t => t.Key, t => t.Value.Record.State, StringComparer.Ordinal);

    /// <summary>Recovers what an earlier run left, then connects (and keeps reconnecting) in the background.</summary>
    public async Task StartAsync()
    {
        if (File.Exists(_options.DockerSocket))
        {
            var engine = new DockerEngineClient(_options.DockerSocket);
            using var ping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            if (await engine.PingAsync(ping.Token).ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default))
            {
                _docker = new DockerContainerizer(engine, AgentId);
            }
            else
            {
                engine.Dispose();
            }
        }

        _logger.LogInformation("agent {AgentId}: process containerizer{Docker}", AgentId, _docker is null ? "; no Docker engine answers" : $" and Docker ({_options.DockerSocket})");
        await RecoverAsync();
        _link.Start();
        _gc = Task.Run(() => CollectSandboxesAsync(_stop.Token));
    }

    /// <summary>Stops the daemon; its tasks keep running (a restarted daemon re-adopts them).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _link.DisposeAsync();

        if (_gc is not null)
        {
            await _gc.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        foreach (var task in _tasks.Values)
        {
            task.StopWatching();
        }

        await _updates.DisposeAsync();
        _containerizer.Cgroups?.RemoveParentIfEmpty();
    }

    /// <summary>Kills every task (for tests and decommissioning).</summary>
    public async Task KillAllAsync(TimeSpan grace)
    {
        await Task.WhenAll(_tasks.Values.Select(t => t.KillAsync(grace, null)));
    }

    // ------------------------------------------------------------------ recovery

    private async Task RecoverAsync()
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        var knownDocker = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(_metaDirectory, "*.json"))
        {
            TaskRecord? record;
            try
            {
                record = JsonSerializer.Deserialize<TaskRecord>(File.ReadAllText(file), Json);
            }
            catch (JsonException ex)
            {
                _logger.LogWarning("unreadable task record {File}: {Message}", file, ex.Message);
                continue;
            }

            if (record is null)
            {
                continue;
            }

            var runner = new TaskRunner(this, record);
            _tasks[record.Spec.TaskId] = runner;
            if (record.Container is { } checkpoint)
            {
                known.Add(checkpoint.ContainerId);
            }

            if (record.DockerId is { } dockerId)
            {
                knownDocker.Add(dockerId);
            }

            runner.Recover();
        }

        if (_docker is not null)
        {
            foreach (var orphan in await _docker.KillOrphansAsync(knownDocker))
            {
                _logger.LogWarning("removed orphan Docker container {Container}", orphan);
            }
        }

        foreach (var orphan in _containerizer.KillOrphans(known))
        {
            _logger.LogWarning("killed orphan container {Container}", orphan);
        }

        var latest = _updates.Recover();
        _logger.LogInformation("agent {AgentId}: recovered {Tasks} tasks, {Pending} with updates in flight", AgentId, _tasks.Count, latest.Count);
    }

    // ------------------------------------------------------------------ sandbox garbage collection

    /// <summary>Every <see cref="DaemonOptions.GcInterval"/>, removes the sandboxes <see cref="SandboxGc"/> says are due.</summary>
    private async Task CollectSandboxesAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.GcInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                CollectSandboxes();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>One pass: the sandboxes of tasks no longer live, older than the (disk-adjusted) delay, are removed.</summary>
    internal void CollectSandboxes()
    {
        var live = _tasks.Values.Where(t => !t.Record.State.IsTerminal()).Select(t => TaskPaths.NameOf(t.Record.Spec.TaskId)).ToHashSet(StringComparer.Ordinal);
        var drive = new DriveInfo(_sandboxRoot);
        var used = drive.TotalSize > 0 ? 1 - (double)drive.AvailableFreeSpace / drive.TotalSize : 0;
        var sandboxes = new DirectoryInfo(_sandboxRoot).EnumerateDirectories().Select(d => new SandboxAge(d.Name, LastChange(d))).ToList();
        foreach (var name in SandboxGc.Collect(sandboxes, live, DateTimeOffset.UtcNow, _options.GcDelay, _options.GcDiskHeadroom, used))
        {
            try
            {
                Directory.Delete(TaskPaths.Under(_sandboxRoot, name), recursive: true);
                _logger.LogInformation("removed the sandbox {Sandbox} (older than {Delay} at {Used:P0} disk use)", name, SandboxGc.MaxAge(_options.GcDelay, _options.GcDiskHeadroom, used), used);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.LogWarning("could not remove the sandbox {Sandbox}: {Message}", name, ex.Message);
            }
        }
    }

    /// <summary>When anything in a sandbox last changed: the directory itself or a file directly in it (the logs grow until the end).</summary>
    private static DateTimeOffset LastChange(DirectoryInfo sandbox)
    {
        var last = sandbox.LastWriteTimeUtc;
        foreach (var file in sandbox.EnumerateFiles())
        {
            last = file.LastWriteTimeUtc > last ? file.LastWriteTimeUtc : last;
        }

        return new DateTimeOffset(last, TimeSpan.Zero);
    }

    // ------------------------------------------------------------------ the link

    /// <inheritdoc />
    AgentRegistration IAgentLinkHandler.Registration() => new(
        new AgentInfo(AgentId, Hostname, Resources, _options.Attributes, typeof(AgentDaemon).Assembly.GetName().Version?.ToString() ?? "",
            Port: _options.Port, Region: _options.Region, Zone: _options.Zone),
        _tasks.Values.Select(t => t.Report()).ToArray());

    /// <inheritdoc />
    Task IAgentLinkHandler.LinkedAsync(AgentRegistered registered, CancellationToken linkDone)
    {
        foreach (var id in registered.KillTasks)
        {
            if (_tasks.TryGetValue(id, out var runner))
            {
                _ = runner.KillAsync(null, "the master does not account for this task");
            }
        }

        _updates.ResendNow();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    Task IAgentLinkHandler.CommandAsync(AgentCommand command, CancellationToken stop) => HandleAsync(command, stop);

    private async Task HandleAsync(AgentCommand command, CancellationToken stop)
    {
        switch (command.Type)
        {
            case AgentCommandTypes.Launch:
                foreach (var spec in command.Tasks ?? [])
                {
                    Launch(spec);
                }

                break;
            case AgentCommandTypes.Kill when command.TaskId is not null:
                if (_tasks.TryGetValue(command.TaskId, out var task))
                {
                    _ = task.KillAsync(command.GracePeriodSeconds is { } g && g >= 0 ? TimeSpan.FromSeconds(g) : null, null);
                }

                break;
            case AgentCommandTypes.ShutdownFramework:
                foreach (var runner in _tasks.Values.Where(t => t.Record.Spec.FrameworkId == command.FrameworkId))
                {
                    _ = runner.KillAsync(null, "the framework was removed");
                }

                break;
            case AgentCommandTypes.Acknowledge:
                foreach (var ack in command.Acks ?? [])
                {
                    if (await _updates.AcknowledgeAsync(ack.TaskId, ack.Uuid) && _tasks.TryGetValue(ack.TaskId, out var acked)
                        && acked.Record.State.IsTerminal() && !_updates.Pending().Any(u => u.TaskId == ack.TaskId))
                    {
                        // The end is acknowledged: the task is history (its sandbox stays for the logs until GC).
                        _tasks.TryRemove(ack.TaskId, out _);
                        File.Delete(RecordPath(ack.TaskId));
                    }
                }

                break;
            case AgentCommandTypes.ReadLog when command.Log is { } log:
                await _link.SendAsync(new AgentLinkMessage(AgentLinkProtocol.LogData, Chunk: ReadLog(log)), stop);
                break;
        }
    }

    private LogChunk ReadLog(LogRequest request)
    {
        var path = Path.Combine(SandboxOf(request.TaskId), request.File);
        if (request.File is not ("stdout" or "stderr") || !File.Exists(path))
        {
            return new LogChunk(request.RequestId, request.Offset, "", 0, $"task '{request.TaskId}' has no {request.File} on agent '{AgentId}'");
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var size = file.Length;
        var offset = Math.Min(request.Offset, size);
        file.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[(int)Math.Min(request.Length, size - offset)];
        file.ReadExactly(buffer);
        return new LogChunk(request.RequestId, offset, System.Text.Encoding.UTF8.GetString(buffer), size);
    }

    private Task SendUpdateAsync(TaskStatusUpdate update, CancellationToken cancellationToken) =>
        _link.SendAsync(new AgentLinkMessage(AgentLinkProtocol.Update, Updates: [update]), cancellationToken);

    // ------------------------------------------------------------------ tasks

    private void Launch(TaskSpec spec)
    {
        if (_tasks.TryGetValue(spec.TaskId, out var existing) && !existing.Record.State.IsTerminal())
        {
            _logger.LogWarning("task {TaskId} is already running here: launch ignored", spec.TaskId);
            return;
        }

        var runner = new TaskRunner(this, new TaskRecord(spec, PortsOf(spec.Resources), null, TaskState.TASK_STAGING));
        _tasks[spec.TaskId] = runner;
        _ = runner.StartAsync(_stop.Token);
    }

    /// <summary>The parent cgroup of an agent's containers: <c>orleansdcos-&lt;agent id&gt;</c>, one per agent.</summary>
    public static string CgroupParentOf(string agentId) =>
        $"{Cgroups.DefaultParent}-{new string(agentId.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_').ToArray())}";

    /// <summary>
    /// The host ports a task was given (<c>ports:[31000-31001,31005-31005]</c>), lowest first (as placement hands them
    /// out, so PORT0 is the first). A malformed text gives none here; the launch then fails on it with the reason.
    /// </summary>
    internal static IReadOnlyList<int> PortsOf(string resources)
    {
        try
        {
            return Res.Parse(resources).Where(r => r.Name == Res.Ports && r.Ranges is not null)
                .SelectMany(r => r.Ranges!.Values()).Order().Select(p => (int)p).ToArray();
        }
        catch (ResourceParseException)
        {
            return [];
        }
    }

    /// <summary>The amount of <paramref name="name"/> a task was given, over every role.</summary>
    /// <exception cref="ResourceParseException">The text is malformed (the launch fails with the reason).</exception>
    internal static double ScalarOf(string resources, string name) => Res.Parse(resources).ScalarTotal(name).ToDouble();

    internal string SandboxOf(string taskId) => TaskPaths.For(_sandboxRoot, taskId);

    private string RecordPath(string taskId) => TaskPaths.For(_metaDirectory, taskId, ".json");

    private void Save(TaskRecord record)
    {
        var path = RecordPath(record.Spec.TaskId);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(record, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static string LoadOrCreateAgentId(string work)
    {
        var file = Path.Combine(work, "agent_id");
        if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } id)
        {
            return id;
        }

        id = $"{Guid.NewGuid()}-S0";
        File.WriteAllText(file, id);
        return id;
    }

    /// <summary>One task: launch, health, kill, and the updates that say so.</summary>
    private sealed class TaskRunner(AgentDaemon daemon, TaskRecord record)
    {
        private readonly Lock _lock = new();
        private readonly Lock _saving = new();
        private readonly CancellationTokenSource _watch = new();
        private Func<TimeSpan, Task<ContainerExit>>? _kill;
        private bool _killing;
        private string? _killReason;

        public TaskRecord Record { get; private set; } = record;

        private TaskSpec Spec => Record.Spec;

        public AgentTask Report() => new(Spec.TaskId, Spec.FrameworkId, Spec.Name, Spec.Role, Spec.Resources, Record.State);

        public void StopWatching() => _watch.Cancel();

        /// <summary>Launches the task; whatever fails on the way ends it with a terminal update that says why.</summary>
        public async Task StartAsync(CancellationToken stop)
        {
            try
            {
                await LaunchAsync(stop);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && stop.IsCancellationRequested))
            {
                daemon._logger.LogWarning("task {TaskId}: the launch failed: {Message}", Spec.TaskId, ex.Message);
                try
                {
                    await ReportAsync(TaskState.TASK_FAILED, TaskReasons.LaunchFailed, $"the launch failed: {ex.Message}");
                }
                catch (Exception report) when (report is IOException or UnauthorizedAccessException)
                {
                    daemon._logger.LogError("task {TaskId}: its failure could not be journaled: {Message}", Spec.TaskId, report.Message);
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

            var command = Spec.Command ?? new CommandSpec(null, Shell: false);
            try
            {
                await daemon._fetcher.FetchAllAsync((command.Uris ?? []).Select(u => new FetchUri(u.Value, u.Extract, u.Executable, u.Cache, u.OutputFile)), sandbox, stop);
            }
            catch (FetchException ex)
            {
                await ReportAsync(TaskState.TASK_FAILED, TaskReasons.FetchFailed, ex.Message);
                return;
            }

            var environment = TaskEnvironment.Build(
                new TaskEnvironmentSource(Spec.TaskId, daemon.Hostname, sandbox, Record.Ports, ScalarOf(Spec.Resources, "cpus"), ScalarOf(Spec.Resources, "mem"),
                    ScalarOf(Spec.Resources, "disk"), (int)ScalarOf(Spec.Resources, "gpus"), Spec.FrameworkId, Labels: Spec.Labels),
                command.Environment);
            ContainerCommand? argv = command.Shell ? ContainerCommand.ShellCommand(command.Value!)
                : command.Arguments is { Count: > 0 } args ? new ContainerCommand(false, null, args)
                : command.Value is { } program ? ContainerCommand.Argv(program)
                : null;
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

            if (Spec.Docker is { } docker)
            {
                var container = await daemon._docker!.LaunchAsync(new DockerLaunch(ContainerIdOf(Spec.TaskId), Spec.TaskId, docker.Image, docker.ForcePullImage, argv, sandbox,
                    environment, cpus, memory, (docker.Volumes ?? []).Select(v => $"{v.HostPath}:{v.ContainerPath}:{(v.Mode == "RO" ? "ro" : "rw")}").ToArray()), stop);
                Record = Record with { DockerId = container.Id };
                Adopt(container.Exited, container.KillAsync, environment);
            }
            else
            {
                var container = await daemon._containerizer.LaunchAsync(new ContainerLaunch(ContainerIdOf(Spec.TaskId), sandbox, argv!, environment, new CgroupLimits(cpus, memory), command.User), stop);
                Record = Record with { Container = container.Checkpoint };
                Adopt(container.Exited, container.KillAsync, environment);
            }

            await ReportAsync(TaskState.TASK_RUNNING, null, null);
        }

        public void Recover()
        {
            if (Record.State.IsTerminal())
            {
                return;
            }

            if (Record.DockerId is { } dockerId)
            {
                if (daemon._docker is null)
                {
                    _ = ReportAsync(TaskState.TASK_FAILED, TaskReasons.AgentRestarted, "the agent restarted and no Docker engine answers to find the container again");
                    return;
                }

                var docker = daemon._docker.Recover(dockerId, daemon.SandboxOf(Spec.TaskId));
                Adopt(docker.Exited, docker.KillAsync, null);
                return;
            }

            if (Record.Container is not { } checkpoint)
            {
                // It never started before the daemon died.
                _ = ReportAsync(TaskState.TASK_FAILED, TaskReasons.AgentRestarted, "the agent restarted before the task started");
                return;
            }

            var container = daemon._containerizer.Recover(checkpoint);
            Adopt(container.Exited, container.KillAsync, null);
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
                kill = _kill;
            }

            if (kill is null)
            {
                return; // StartAsync sees _killing before it launches
            }

            await ReportAsync(TaskState.TASK_KILLING, null, reason);
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
                    daemon._logger.LogWarning("task {TaskId}: its record could not be written: {Message}", Spec.TaskId, ex.Message);
                }
            }
        }

        private void Adopt(Task<ContainerExit> exited, Func<TimeSpan, Task<ContainerExit>> kill, IReadOnlyDictionary<string, string>? environment)
        {
            lock (_lock)
            {
                _kill = kill;
            }

            Checkpoint();
            _ = WatchAsync(exited);
            if (Spec.HealthCheck is { } check && environment is not null)
            {
                _ = HealthAsync(check, environment);
            }
        }

        private async Task WatchAsync(Task<ContainerExit> exited)
        {
            ContainerExit exit;
            try
            {
                exit = await exited.WaitAsync(_watch.Token);
            }
            catch (OperationCanceledException)
            {
                return; // the daemon stops; the task runs on
            }

            var (state, reason) = exit.OomKilled ? (TaskState.TASK_FAILED, TaskReasons.MemoryLimit)
                : _killing && _killReason == TaskReasons.Unhealthy ? (TaskState.TASK_KILLED, TaskReasons.Unhealthy)
                : _killing || exit.Killed ? (TaskState.TASK_KILLED, (string?)null)
                : exit.Succeeded ? (TaskState.TASK_FINISHED, (string?)null)
                : (TaskState.TASK_FAILED, TaskReasons.CommandExited);
            await ReportAsync(state, reason, exit.Message);
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
            var checker = new HealthChecker(spec, daemon.SandboxOf(Spec.TaskId), environment);
            try
            {
                await checker.RunAsync(async change =>
                {
                    if (Record.State != TaskState.TASK_RUNNING)
                    {
                        return;
                    }

                    // A check that gave up says so (REASON_TASK_UNHEALTHY); the agent kills the task unless the framework
                    // decides itself (Marathon kills within a rate limit).
                    daemon._logger.LogInformation("task {TaskId}: {Health} ({Message})", Spec.TaskId,
                        change.GaveUp ? "unhealthy, checks given up" : change.Healthy ? "healthy" : "unhealthy", change.Message);
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
                DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0, reason, message, healthy, Record.Container?.ContainerId));
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

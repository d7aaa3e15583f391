using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;
using OrleansDcos.NodeDaemon.Containerizers.Docker;
using OrleansDcos.NodeDaemon.Containerizers.Process;
using OrleansDcos.NodeDaemon.Fetcher;
using OrleansDcos.NodeDaemon.Isolation;
using OrleansDcos.NodeDaemon.Metrics;
using OrleansDcos.NodeDaemon.Sandboxes;
using OrleansDcos.NodeDaemon.StatusUpdates;
using OrleansDcos.NodeDaemon.Tasks;
using OrleansDcos.NodeDaemon.Volumes;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.NodeDaemon.Agent;

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
    private readonly TimeProvider _time;
    private readonly DaemonOptions _options;
    private readonly ILogger _logger;
    private readonly ProcessContainerizer _containerizer;
    private readonly UriFetcher _fetcher;
    private readonly StatusUpdateManager _updates;
    private readonly ConcurrentDictionary<string, TaskRunner> _tasks = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _metaDirectory;
    private readonly string _sandboxRoot;
    private readonly PersistentVolumeStore _volumes;
    private DockerContainerizer? _docker;
    private readonly AgentLinkClient _link;
    private readonly AgentCredentialFile _credential;
    private Task? _gc;
    private Task? _diskCheck;

    /// <summary>Creates the daemon over its work directory (nothing runs until <see cref="StartAsync"/>).</summary>
    public AgentDaemon(DaemonOptions options, ILogger logger, TimeProvider? time = null)
    {
        options.Validate();
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger;
        var work = Path.GetFullPath(options.WorkDirectory);
        Directory.CreateDirectory(work);
        _metaDirectory = Path.Combine(work, "meta", "tasks");
        _sandboxRoot = Path.Combine(work, "sandboxes");
        _volumes = new PersistentVolumeStore(work);
        Directory.CreateDirectory(_metaDirectory);
        Directory.CreateDirectory(_sandboxRoot);
        AgentId = options.AgentId ?? LoadOrCreateAgentId(work);
        Hostname = options.Hostname ?? Environment.MachineName;
        Resources = Res.Parse(ResourceDetector.Detect(work, options.Resources));
        // One parent cgroup per agent: two daemons on a machine (or a test beside a daemon) never take each
        // other's containers for orphans.
        var cgroups = Cgroups.DetectUsable(options.CgroupRoot, CgroupParentOf(AgentId));
        if (cgroups is null)
        {
            DaemonLog.NoCgroups(logger, options.CgroupRoot);
        }

        _containerizer = new ProcessContainerizer(cgroups, Path.Combine(work, "run"));
        _fetcher = new UriFetcher(Path.Combine(work, "fetch-cache"));
        _updates = new StatusUpdateManager(Path.Combine(work, "updates"), SendUpdateAsync);
        _credential = new AgentCredentialFile(work);
        _link = new AgentLinkClient(new AgentLinkClientOptions
        {
            Gateways = options.Gateways,
            Token = options.Token,
            TokenSource = () => _credential.Current ?? options.Token,
            Time = _time,
            TrustedCa = options.CaFile is { } ca ? System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(ca)) : null
        }, this, logger);
    }

    /// <summary>The agent's id.</summary>
    public string AgentId { get; }

    /// <summary>The hostname reported.</summary>
    public string Hostname { get; }

    /// <summary>The resources offered.</summary>
    public Res Resources { get; }

    /// <summary>True while registered on a live link.</summary>
    public bool Registered => _link.Connected;

    /// <summary>The tasks it has, with their state.</summary>
    public IReadOnlyDictionary<string, TaskState> Tasks => _tasks.ToDictionary(t => t.Key, t => t.Value.Record.State, StringComparer.Ordinal);

    /// <summary>What the live tasks' cgroups measure now (tasks without a cgroup — Docker's, or without cgroups at all — are left out).</summary>
    public IReadOnlyList<TaskUsage> Usage() =>
        [.. _tasks.Values.Where(t => !t.Record.State.IsTerminal()).Select(t => t.Usage()).OfType<TaskUsage>()];

    /// <summary>Recovers what an earlier run left, then connects (and keeps reconnecting) in the background.</summary>
    public async Task StartAsync()
    {
        AgentMeters.Track(this);
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

        DaemonLog.Containerizers(_logger, AgentId, _docker is null ? "no Docker engine answers" : _options.DockerSocket);
        await RecoverAsync();
        _link.Start();
        // Sandboxes are collected every GcInterval; running tasks' disks measured every DiskCheckInterval.
        _gc = Task.Run(() => EveryAsync(_options.GcInterval, CollectSandboxes, _stop.Token));
        _diskCheck = _options.DiskCheckInterval > TimeSpan.Zero ? Task.Run(() => EveryAsync(_options.DiskCheckInterval, CheckDisk, _stop.Token)) : null;
    }

    /// <summary>Stops the daemon; its tasks keep running (a restarted daemon re-adopts them).</summary>
    public async ValueTask DisposeAsync()
    {
        AgentMeters.Untrack(this);
        await _stop.CancelAsync();
        await _link.DisposeAsync();

        if (_diskCheck is not null)
        {
            await _diskCheck.ContinueWith(_ => { }, TaskScheduler.Default);
        }

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
                DaemonLog.UnreadableRecord(_logger, file, ex.Message);
                continue;
            }

            if (record is null)
            {
                continue;
            }

            var runner = new TaskRunner(this, record);
            _tasks[record.Spec.TaskId] = runner;
            await runner.RecoverAsync();

            // Known once recovered: a container the last run was launching when it died is recorded only now.
            if (runner.Record.Container is { } checkpoint)
            {
                known.Add(checkpoint.ContainerId);
            }

            if (runner.Record.DockerId is { } dockerId)
            {
                knownDocker.Add(dockerId);
            }
        }

        if (_docker is not null)
        {
            foreach (var orphan in await _docker.KillOrphansAsync(knownDocker))
            {
                DaemonLog.OrphanDockerRemoved(_logger, orphan);
            }
        }

        foreach (var orphan in _containerizer.KillOrphans(known))
        {
            DaemonLog.OrphanKilled(_logger, orphan);
        }

        var latest = _updates.Recover();
        DaemonLog.Recovered(_logger, AgentId, _tasks.Count, latest.Count);
    }

    // ------------------------------------------------------------------ sandbox garbage collection

    /// <summary>Runs <paramref name="pass"/> every <paramref name="interval"/> until the daemon stops.</summary>
    private static async Task EveryAsync(TimeSpan interval, Action pass, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                pass();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>One pass of <see cref="DiskQuota"/> over the running tasks.</summary>
    internal void CheckDisk()
    {
        foreach (var runner in _tasks.Values.Where(t => t.Record.State == TaskState.TASK_RUNNING))
        {
            try
            {
                var (sandbox, limit, volumes) = runner.DiskLimits();
                if (limit <= 0 && volumes.Count == 0)
                {
                    continue;
                }

                if (DiskQuota.Exceeded(limit > 0 ? DiskQuota.Measure(sandbox) : 0, limit, volumes.Select(v => (v.Id, DiskQuota.Measure(v.Path), v.LimitMb))) is { } over)
                {
                    DaemonLog.DiskLimit(_logger, runner.Record.Spec.TaskId, over);
                    _ = runner.KillForLimitAsync(TaskReasons.DiskLimit, over);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                DaemonLog.DiskNotMeasured(_logger, runner.Record.Spec.TaskId, ex.Message);
            }
        }
    }

    /// <summary>One pass: the sandboxes of tasks no longer live, older than the (disk-adjusted) delay, are removed.</summary>
    internal void CollectSandboxes()
    {
        var live = _tasks.Values.Where(t => !t.Record.State.IsTerminal())
            .SelectMany(t => t.Record.Spec.GroupId is { } group ? [t.Record.Spec.TaskId, GroupDirectoryPrefix + group] : new[] { t.Record.Spec.TaskId })
            .Select(TaskPaths.NameOf).ToHashSet(StringComparer.Ordinal); // a group's shared directory lives while one of its tasks does
        var drive = new DriveInfo(_sandboxRoot);
        var used = drive.TotalSize > 0 ? 1 - (double)drive.AvailableFreeSpace / drive.TotalSize : 0;
        var sandboxes = new DirectoryInfo(_sandboxRoot).EnumerateDirectories().Select(d => new SandboxAge(d.Name, LastChange(d))).ToList();
        foreach (var name in SandboxGc.Collect(sandboxes, live, _time.GetUtcNow(), _options.GcDelay, _options.GcDiskHeadroom, used))
        {
            try
            {
                Directory.Delete(TaskPaths.Under(_sandboxRoot, name), recursive: true);
                DaemonLog.SandboxRemoved(_logger, name, SandboxGc.MaxAge(_options.GcDelay, _options.GcDiskHeadroom, used), used);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                DaemonLog.SandboxNotRemoved(_logger, name, ex.Message);
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
        if (registered.Credential is { Length: > 0 } credential)
        {
            _credential.Save(credential); // enrolled: the join token is not needed again
            DaemonLog.Enrolled(_logger, AgentId);
        }

        foreach (var id in registered.KillTasks)
        {
            if (_tasks.TryGetValue(id, out var runner))
            {
                _ = runner.KillAsync(null, "the master does not account for this task");
            }
        }

        if (registered.CheckpointedResources is { } checkpointed)
        {
            SyncVolumes(checkpointed);
        }

        _updates.ResendNow();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    void IAgentLinkHandler.CheckpointResources(Scheduling.Resources.Resources resources) => SyncVolumes(resources);

    /// <summary>Makes the volume directories the master lists and deletes those of destroyed volumes no live task uses.</summary>
    private void SyncVolumes(Scheduling.Resources.Resources checkpointed)
    {
        try
        {
            var inUse = _tasks.Values.Where(t => !t.Record.State.IsTerminal())
                .SelectMany(t => t.Record.Spec.Resources.Volumes).Select(v => (v.Role, v.Volume!.Id)).ToHashSet();
            foreach (var deleted in _volumes.Sync(checkpointed, inUse))
            {
                DaemonLog.VolumeDeleted(_logger, deleted);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            DaemonLog.VolumeSyncFailed(_logger, ex.Message);
        }
    }

    /// <inheritdoc />
    void IAgentLinkHandler.Launch(IReadOnlyList<TaskSpec> tasks)
    {
        // A task group's tasks are all known before any starts: one may mount what another holds (a pod's persistent volume).
        foreach (var runner in tasks.Select(Register).OfType<TaskRunner>().ToList())
        {
            _ = runner.StartAsync(_stop.Token);
        }
    }

    /// <inheritdoc />
    void IAgentLinkHandler.Kill(string taskId, TimeSpan? grace)
    {
        if (_tasks.TryGetValue(taskId, out var task))
        {
            _ = task.KillAsync(grace, null);
        }
    }

    /// <inheritdoc />
    void IAgentLinkHandler.ShutdownFramework(string frameworkId)
    {
        foreach (var runner in _tasks.Values.Where(t => t.Record.Spec.FrameworkId == frameworkId))
        {
            _ = runner.KillAsync(null, "the framework was removed");
        }
    }

    /// <inheritdoc />
    async Task IAgentLinkHandler.AcknowledgeAsync(TaskAck ack)
    {
        if (await _updates.AcknowledgeAsync(ack.TaskId, ack.Uuid) && _tasks.TryGetValue(ack.TaskId, out var acked)
            && acked.Record.State.IsTerminal() && !_updates.Pending().Any(u => u.TaskId == ack.TaskId))
        {
            // The end is acknowledged: the task is history (its sandbox stays for the logs until GC).
            _tasks.TryRemove(ack.TaskId, out _);
            File.Delete(RecordPath(ack.TaskId));
        }
    }

    /// <inheritdoc />
    LogChunk IAgentLinkHandler.ReadLog(LogRequest request)
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

    /// <summary>The runner of a task to launch (not started), or null when a task of that id still runs.</summary>
    private TaskRunner? Register(TaskSpec spec)
    {
        if (_tasks.TryGetValue(spec.TaskId, out var existing) && !existing.Record.State.IsTerminal())
        {
            DaemonLog.AlreadyRunning(_logger, spec.TaskId);
            return null;
        }

        var runner = new TaskRunner(this, new TaskRecord(spec, PortsOf(spec.Resources), null, TaskState.TASK_STAGING));
        _tasks[spec.TaskId] = runner;
        return runner;
    }

    /// <summary>What the directory a task group shares (its PARENT sandbox volumes) is named after: this and the group id.</summary>
    internal const string GroupDirectoryPrefix = "group.";

    /// <summary>
    /// The task's volume mounts with each PERSISTENT one (a persistent volume of its group, by id) turned into the host
    /// path of that volume, found among the resources of the task and of its group's tasks.
    /// </summary>
    /// <exception cref="IOException">No task of the group holds the volume.</exception>
    internal IReadOnlyList<SandboxVolumeSpec> ResolvePersistentMounts(TaskSpec spec)
    {
        if (spec.Volumes is not { } mounts || mounts.All(m => m.Type != SandboxVolumeSpec.Persistent))
        {
            return spec.Volumes ?? [];
        }

        var held = _tasks.Values.Select(t => t.Record.Spec).Where(s => s.TaskId == spec.TaskId || (spec.GroupId is not null && s.GroupId == spec.GroupId))
            .SelectMany(s => s.Resources.Volumes).ToList();
        return [.. mounts.Select(m => m.Type != SandboxVolumeSpec.Persistent ? m
            : held.FirstOrDefault(v => v.Volume!.Id == m.Path) is { } volume ? m with { Type = SandboxVolumeSpec.Host, Path = _volumes.PathOf(volume) }
            : throw new IOException($"persistent volume '{m.Path}' is held by no task of the group"))];
    }

    /// <summary>Kills the live tasks of <paramref name="groupId"/> but <paramref name="failedTaskId"/>, which failed.</summary>
    internal void KillGroup(string groupId, string failedTaskId)
    {
        foreach (var sibling in _tasks.Values.Where(t => t.Record.Spec.GroupId == groupId && t.Record.Spec.TaskId != failedTaskId && !t.Record.State.IsTerminal()))
        {
            DaemonLog.GroupKilled(_logger, sibling.Record.Spec.TaskId, groupId, failedTaskId);
            _ = sibling.KillAsync(null, $"task {failedTaskId} of its group failed");
        }
    }

    /// <summary>The GPUs the agent has (its <c>gpus</c> resource).</summary>
    internal int AgentGpus => (int)Resources.ScalarTotal(Res.Gpus).ToDouble();

    private readonly Lock _gpuLock = new();

    /// <summary>The GPUs <paramref name="runner"/>'s task gets (recorded in its checkpoint), or null when too few are free.</summary>
    private IReadOnlyList<int>? AssignGpus(TaskRunner runner)
    {
        lock (_gpuLock)
        {
            var wanted = (int)Math.Ceiling(ScalarOf(runner.Record.Spec.Resources, Res.Gpus));
            var inUse = _tasks.Values.Where(t => t != runner && !t.Record.State.IsTerminal()).SelectMany(t => t.Record.GpuDevices ?? []);
            var devices = GpuAssignment.Pick(AgentGpus, inUse, wanted);
            if (devices is not null)
            {
                runner.HoldGpus(devices);
            }

            return devices;
        }
    }

    /// <summary>The parent cgroup of an agent's containers: <c>orleansdcos-&lt;agent id&gt;</c>, one per agent.</summary>
    public static string CgroupParentOf(string agentId) =>
        $"{Cgroups.DefaultParent}-{new string(agentId.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_').ToArray())}";

    /// <summary>
    /// The host ports a task was given (<c>ports:[31000-31001,31005-31005]</c>), lowest first (as placement hands them
    /// out, so PORT0 is the first).
    /// </summary>
    internal static IReadOnlyList<int> PortsOf(Res resources) =>
        [.. resources.PortNumbers().Order()];

    /// <summary>The amount of <paramref name="name"/> a task was given, over every role.</summary>
    internal static double ScalarOf(Res resources, string name) => resources.ScalarTotal(name).ToDouble();

    internal string SandboxOf(string taskId) => TaskPaths.For(_sandboxRoot, taskId);

    private string RecordPath(string taskId) => TaskPaths.For(_metaDirectory, taskId, ".json");

    private void Save(TaskRecord record)
    {
        var path = RecordPath(record.Spec.TaskId);
        // Secret values live only in the running task's environment, never in the daemon's files.
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(record with { Spec = record.Spec.WithoutSecrets() }, Json));
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
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Placement;
using Orleans.Runtime;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Concurrency;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Agents;
using OrleansDcos.Scheduling.Attributes;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Scheduling.Time;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// One agent, as Mesos' master keeps it: registration and re-registration (tasks of removed frameworks are
/// killed, tasks the daemon no longer has are LOST), heartbeats and the silence bound (UNREACHABLE), the command
/// queue its link polls, launches, kills and acknowledgements, drain/maintenance and removal (GONE). Every status
/// change is published on the durable task-status stream before it is forwarded to the framework, so nothing a
/// framework acknowledged is missing from the stream.
/// </summary>
[PreferLocalPlacement]
internal sealed class AgentGrain(
    [PersistentState("agent")] IPersistentState<AgentGrainState> state,
    IOptions<MasterOptions> options,
    AgentLiveness liveness,
    TaskStatusStream statuses,
    TimeProvider time,
    CoarseDelay delays,
    ILogger<AgentGrain> logger) : Grain, IAgentGrain
{
    private readonly MasterOptions _options = options.Value;
    private readonly Dictionary<string, TaskEntry> _tasks = new(StringComparer.Ordinal);
    private readonly Outbox<AgentCommand> _commands = new(delays);
    private readonly List<TaskAck> _pendingAcks = [];
    private readonly Dictionary<Guid, TaskCompletionSource<LogChunk>> _logRequests = [];
    private readonly Dictionary<long, Task<Exception?>> _publications = [];
    private readonly InOrder _published = new();
    private long _publicationTicket;
    private IAgentCommandDoorbell? _doorbell;
    private bool _rang;
    private Guid? _link;
    private bool _reregistered;
    private long _lastHeardMs;
    private long _lastCheckMs;
    private long? _closedAtMs;
    private IGrainTimer? _ownSilenceCheck;

    private string AgentId => this.GetPrimaryKeyString();

    private TimeSpan SilenceCheckInterval => AgentLiveness.CheckInterval(_options.AgentUnreachableTimeout);

    /// <summary>Registered and not given up on: active, draining or in maintenance.</summary>
    private bool Standing => state.State.Status is AgentStatus.Active or AgentStatus.Draining or AgentStatus.Maintenance;

    private IAllocatorGrain Allocator => GrainFactory.GetGrain<IAllocatorGrain>(MasterKeys.Allocator);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A fresh activation (first use, or after its silo died) gives the daemon a whole silence bound to come back.
        _lastHeardMs = liveness.NowMs();
        CheckOwnSilenceWhenNeeded();
        if (Standing)
        {
            DelayDeactivation(TimeSpan.FromDays(365));
        }

        return Task.CompletedTask;
    }

    // ------------------------------------------------------------------ the link

    /// <inheritdoc />
    public async Task<AgentRegistered> Register(AgentRegistration registration, Guid linkId)
    {
        var info = registration.Agent;
        if (state.State.Status == AgentStatus.Gone)
        {
            throw new MasterValidationException($"agent '{AgentId}' was removed; a daemon must enroll under a new agent id");
        }

        Validate(info);
        var first = state.State.Info is null;
        var wasUnreachable = state.State.Status == AgentStatus.Unreachable;
        DropLink();
        _link = linkId;
        _reregistered = true;
        _closedAtMs = null;
        _lastHeardMs = liveness.NowMs();
        DelayDeactivation(TimeSpan.FromDays(365));

        var frameworks = await GrainFactory.GetGrain<IRegistryGrain>(MasterKeys.FrameworkRegistry).List();
        var verdict = RegistrationReconciler.Reconcile(
            registration.Tasks.Select(t => new TaskView(t.TaskId, t.FrameworkId, t.State)).ToArray(),
            _tasks.ToDictionary(t => t.Key, t => new KnownTask(t.Value.Task.State, t.Value.KillRequested), StringComparer.Ordinal),
            frameworks);
        var reported = new Dictionary<string, AgentTask>(StringComparer.Ordinal);
        foreach (var task in registration.Tasks)
        {
            reported[task.TaskId] = task; // a task reported twice: the last report counts
        }

        var updates = new List<TaskStatusUpdate>();
        foreach (var id in verdict.Adopt)
        {
            var task = reported[id];
            _tasks[id] = new TaskEntry(task) { Counted = !task.State.IsTerminal() };
        }

        foreach (var id in verdict.Returned)
        {
            updates.Add(MasterUpdate(reported[id], reported[id].State, TaskReasons.AgentReregistered, "the agent is back"));
        }

        foreach (var id in verdict.Lost)
        {
            // The master launched it here but the daemon does not have it: it never arrived or was lost.
            var entry = _tasks[id];
            entry.Counted = false;
            updates.Add(MasterUpdate(entry.Task, TaskState.TASK_LOST, TaskReasons.AgentUnknown, "the agent does not know this task"));
            entry.Task = entry.Task with { State = TaskState.TASK_LOST };
        }

        var kill = verdict.Kill;
        foreach (var id in kill)
        {
            _tasks.Remove(id);
        }

        if (first || wasUnreachable || state.State.Info != info || state.State.Status == AgentStatus.Unknown)
        {
            state.State.Info = info;
            state.State.RegisteredTime = first || state.State.RegisteredTime == default ? time.GetUtcNow() : state.State.RegisteredTime;
            state.State.UnreachableTime = null;
            if (state.State.Status is AgentStatus.Unknown or AgentStatus.Unreachable)
            {
                state.State.Status = AgentStatus.Active;
            }

            await state.WriteStateAsync();
        }

        if (first)
        {
            await GrainFactory.GetGrain<IRegistryGrain>(MasterKeys.AgentRegistry(AgentId)).Add(AgentId);
        }

        CheckOwnSilenceWhenNeeded();
        await ReportToAllocatorAsync();
        await PublishAndForwardAsync(updates, MasterStreams.SourceMaster);
        MasterLog.AgentRegistered(logger, AgentId, info.Hostname, registration.Tasks.Count, kill.Count);
        return new AgentRegistered(AgentId, _options.AgentHeartbeatInterval.TotalSeconds, kill);
    }

    /// <inheritdoc />
    public Task<bool> Heartbeat(Guid linkId)
    {
        if (_link != linkId || state.State.Status == AgentStatus.Unreachable)
        {
            return Task.FromResult(false);
        }

        _lastHeardMs = liveness.NowMs();
        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public async Task<long> StatusUpdates(Guid linkId, IReadOnlyList<TaskStatusUpdate> updates)
    {
        if (_link != linkId || state.State.Status == AgentStatus.Unreachable)
        {
            return -1;
        }

        _lastHeardMs = liveness.NowMs();
        var fresh = new List<TaskStatusUpdate>(updates.Count);
        foreach (var update in updates)
        {
            if (!_tasks.TryGetValue(update.TaskId, out var entry))
            {
                entry = new TaskEntry(new AgentTask(update.TaskId, update.FrameworkId, update.TaskId, Resource.AnyRole, Resources.Empty, update.State));
                _tasks[update.TaskId] = entry;
            }

            entry.Task = entry.Task with
            {
                State = update.State,
                Healthy = update.Healthy ?? entry.Task.Healthy,
                Timestamp = update.Timestamp,
                Reason = update.Reason,
                Message = update.Message,
            };
            if (update.State.IsTerminal() && entry.Counted)
            {
                entry.Counted = false;
                await Allocator.Recover(AgentId, entry.Task.FrameworkId, entry.Task.Role, entry.Task.Resources);
            }

            // A resend of an update already published is forwarded again (the framework may have missed it) but not re-published.
            if (entry.LastPublished != update.Uuid)
            {
                entry.LastPublished = update.Uuid;
                fresh.Add(update);
            }
        }

        MasterLog.AgentUpdates(logger, AgentId, updates.Count, fresh.Count, updates.Select(u => $"{u.TaskId}={u.State}"));

        // The stream write is waited for outside this turn (Published): launches, kills and registrations of this
        // agent must not queue behind a durable stream that is behind (frameworks' ACCEPTs timed out on it).
        var ticket = ++_publicationTicket;
        _publications[ticket] = Publication(fresh, updates, MasterStreams.SourceAgent);
        await CompleteDrainAsync();
        return ticket;
    }

    /// <inheritdoc />
    public async Task<bool?> Published(Guid linkId, long ticket, TimeSpan wait)
    {
        if (_link != linkId || !_publications.TryGetValue(ticket, out var publication))
        {
            return null;
        }

        if (!publication.IsCompleted)
        {
            await Task.WhenAny(publication, delays.For(wait));
            if (!publication.IsCompleted)
            {
                return _link == linkId ? false : null;
            }
        }

        _publications.Remove(ticket);
        return await publication is null ? true : null;
    }

    /// <inheritdoc />
    public Task<AgentCommandBatch> PollCommands(Guid linkId, long after)
    {
        if (_link != linkId)
        {
            return Task.FromResult(new AgentCommandBatch(after, [], Reregister: true));
        }

        _commands.Acknowledge(after);
        _rang = false; // the link is fetching: what is queued from now on rings again
        FlushAcks();
        var (cursor, batch) = _commands.After(after);
        return Task.FromResult(new AgentCommandBatch(cursor, batch));
    }

    /// <inheritdoc />
    public Task<bool> WatchCommands(Guid linkId, IAgentCommandDoorbell doorbell)
    {
        if (_link != linkId)
        {
            return Task.FromResult(false);
        }

        _doorbell = doorbell;
        _rang = false;
        if (_commands.Count > 0 || _pendingAcks.Count > 0)
        {
            Signal();
        }

        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public async Task LinkClosed(Guid linkId)
    {
        if (_link != linkId)
        {
            return;
        }

        DropLink();
        _closedAtMs = liveness.NowMs();
        CheckOwnSilenceWhenNeeded();
        MasterLog.AgentLinkClosed(logger, AgentId, Min(_options.AgentDisconnectedTimeout, _options.AgentUnreachableTimeout));
        if (state.State.Status is AgentStatus.Active)
        {
            await Allocator.SetAgentActive(AgentId, false);
        }
    }

    /// <inheritdoc />
    public Task LinkSilent(Guid linkId) =>
        _link == linkId && Standing && !liveness.IsInProcess(AgentId)
            ? BecomeUnreachableAsync($"silent for {_options.AgentUnreachableTimeout}")
            : Task.CompletedTask;

    /// <inheritdoc />
    public Task LogData(Guid linkId, LogChunk chunk)
    {
        if (_link == linkId)
        {
            _lastHeardMs = liveness.NowMs();
            if (_logRequests.Remove(chunk.RequestId, out var waiter))
            {
                waiter.TrySetResult(chunk);
            }
        }

        return Task.CompletedTask;
    }

    // ------------------------------------------------------------------ frameworks

    /// <inheritdoc />
    public async Task Launch(string frameworkId, IReadOnlyList<TaskSpec> tasks)
    {
        var reachable = _link is not null && state.State.Status == AgentStatus.Active;
        MasterLog.AgentLaunch(logger, AgentId, tasks.Select(t => t.TaskId), _link, state.State.Status);

        var dropped = new List<TaskStatusUpdate>();
        var launch = new List<TaskSpec>();
        foreach (var spec in tasks)
        {
            var task = new AgentTask(spec.TaskId, frameworkId, spec.Name, spec.Role, spec.Resources, TaskState.TASK_STAGING, Timestamp: Timestamp());
            if (!reachable || _tasks.TryGetValue(spec.TaskId, out var existing) && !existing.Task.State.IsTerminal())
            {
                var why = reachable ? "a task with this id already runs on the agent" : $"agent '{AgentId}' is {(_link is null ? "disconnected" : state.State.Status.ToString().ToLowerInvariant())}";
                dropped.Add(MasterUpdate(task, TaskState.TASK_DROPPED, reachable ? TaskReasons.TaskInvalid : TaskReasons.AgentDisconnected, why));
                await Allocator.Recover(AgentId, frameworkId, spec.Role, spec.Resources);
                continue;
            }

            _tasks[spec.TaskId] = new TaskEntry(task) { Counted = true };
            launch.Add(spec with { FrameworkId = frameworkId });
        }

        if (launch.Count > 0)
        {
            // A task group travels as one command so the daemon starts all of it or none.
            foreach (var group in launch.GroupBy(t => t.GroupId ?? t.TaskId))
            {
                Enqueue(new AgentCommand(AgentCommandTypes.Launch, frameworkId, Tasks: group.ToArray()));
            }
        }

        await PublishAndForwardAsync(dropped, MasterStreams.SourceMaster);
    }

    /// <inheritdoc />
    public Task<KillAnswer> Kill(string frameworkId, string taskId, TimeSpan? gracePeriod)
    {
        if (_tasks.TryGetValue(taskId, out var entry) && entry.Task.FrameworkId == frameworkId)
        {
            if (!entry.Task.State.IsTerminal())
            {
                entry.KillRequested = true;
                if (_link is not null)
                {
                    Enqueue(new AgentCommand(AgentCommandTypes.Kill, frameworkId, TaskId: taskId, GracePeriodSeconds: gracePeriod?.TotalSeconds));
                }
            }

            return Task.FromResult(KillAnswer.Sent);
        }

        // Not in this activation's table: the daemon has not re-registered with it yet (its tasks come then), or it did
        // and does not run the task. An unreachable agent's tasks cannot be told apart until it is back.
        return Task.FromResult(_reregistered ? KillAnswer.Unknown
            : state.State.Status == AgentStatus.Unreachable ? KillAnswer.Unreachable
            : Standing ? KillAnswer.Sent
            : KillAnswer.Unknown);
    }

    /// <inheritdoc />
    public Task Acknowledge(string frameworkId, string taskId, Guid uuid)
    {
        // Interleaves with other calls, so it never awaits. (Forgetting a terminal task cannot complete a drain.)
        if (uuid == Guid.Empty)
        {
            return Task.CompletedTask;
        }

        _pendingAcks.Add(new TaskAck(taskId, frameworkId, uuid));
        Signal();
        if (_tasks.TryGetValue(taskId, out var entry) && entry.LastPublished == uuid && entry.Task.State.IsTerminal())
        {
            // The terminal update is acknowledged: the task is history.
            _tasks.Remove(taskId);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ShutdownFramework(string frameworkId)
    {
        var any = false;
        foreach (var entry in _tasks.Values.Where(e => e.Task.FrameworkId == frameworkId && !e.Task.State.IsTerminal()))
        {
            entry.KillRequested = true;
            any = true;
        }

        if (any && _link is not null)
        {
            Enqueue(new AgentCommand(AgentCommandTypes.ShutdownFramework, frameworkId));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AgentTask>?> Tasks(string frameworkId, IReadOnlyList<string> taskIds)
    {
        if (!_reregistered && Standing)
        {
            // Reactivated after a failover and the daemon has not re-registered yet: its task table is not known (as
            // Mesos, the master does not answer for tasks of a transitioning agent rather than call them unknown).
            return Task.FromResult<IReadOnlyList<AgentTask>?>(null);
        }

        IEnumerable<TaskEntry> entries = taskIds.Count == 0
            ? _tasks.Values.Where(e => e.Task.FrameworkId == frameworkId)
            : taskIds.Select(id => _tasks.GetValueOrDefault(id)).OfType<TaskEntry>().Where(e => e.Task.FrameworkId == frameworkId);
        return Task.FromResult<IReadOnlyList<AgentTask>?>(entries.Select(e => e.Task).ToArray());
    }

    // ------------------------------------------------------------------ operators

    /// <inheritdoc />
    public async Task Drain(TimeSpan? gracePeriod)
    {
        if (state.State.Status is AgentStatus.Gone or AgentStatus.Unknown)
        {
            throw new MasterValidationException($"agent '{AgentId}' is {state.State.Status.ToString().ToLowerInvariant()}: it cannot be drained");
        }

        state.State.Status = AgentStatus.Draining;
        state.State.DrainGrace = gracePeriod;
        await state.WriteStateAsync();
        await Allocator.SetAgentActive(AgentId, false);
        foreach (var entry in _tasks.Values.Where(e => !e.Task.State.IsTerminal()).ToArray())
        {
            await Kill(entry.Task.FrameworkId, entry.Task.TaskId, gracePeriod);
        }

        await CompleteDrainAsync();
    }

    /// <inheritdoc />
    public async Task Reactivate()
    {
        if (state.State.Status is not (AgentStatus.Draining or AgentStatus.Maintenance))
        {
            throw new MasterValidationException($"agent '{AgentId}' is {state.State.Status.ToString().ToLowerInvariant()}, not draining or in maintenance");
        }

        state.State.Status = AgentStatus.Active;
        state.State.DrainGrace = null;
        await state.WriteStateAsync();
        if (_link is not null)
        {
            await Allocator.SetAgentActive(AgentId, true);
        }
    }

    /// <inheritdoc />
    public async Task Remove()
    {
        if (state.State.Status == AgentStatus.Gone)
        {
            return;
        }

        state.State.Status = AgentStatus.Gone;
        await state.WriteStateAsync();
        CheckOwnSilenceWhenNeeded();
        await GrainFactory.GetGrain<IRegistryGrain>(MasterKeys.AgentRegistry(AgentId)).MarkRemoved(AgentId);
        await Allocator.RemoveAgent(AgentId);
        var gone = new List<TaskStatusUpdate>();
        foreach (var entry in _tasks.Values.Where(e => !e.Task.State.IsTerminal()))
        {
            if (_link is not null)
            {
                Enqueue(new AgentCommand(AgentCommandTypes.Kill, entry.Task.FrameworkId, TaskId: entry.Task.TaskId));
            }

            gone.Add(MasterUpdate(entry.Task, TaskState.TASK_GONE_BY_OPERATOR, TaskReasons.AgentRemovedByOperator, "the agent was removed"));
            entry.Task = entry.Task with { State = TaskState.TASK_GONE_BY_OPERATOR };
            entry.Counted = false;
        }

        await PublishAndForwardAsync(gone, MasterStreams.SourceMaster);
        foreach (var framework in _tasks.Values.Select(e => e.Task.FrameworkId).Distinct())
        {
            await GrainFactory.GetGrain<IFrameworkGrain>(framework).AgentLost(AgentId);
        }
    }

    /// <inheritdoc />
    public Task Resync() => _link is not null && state.State.Info is not null ? ReportToAllocatorAsync() : Task.CompletedTask;

    /// <inheritdoc />
    public async Task<LogChunk> ReadLog(string taskId, string file, long offset, int length)
    {
        if (file is not ("stdout" or "stderr"))
        {
            throw new MasterValidationException($"file must be stdout or stderr (is '{file}')");
        }

        if (_link is null)
        {
            throw new MasterValidationException($"agent '{AgentId}' is not connected: the task's sandbox cannot be read now");
        }

        var request = new LogRequest(Guid.NewGuid(), taskId, file, Math.Max(0, offset), Math.Clamp(length, 0, 1 << 20));
        var waiter = new TaskCompletionSource<LogChunk>(TaskCreationOptions.RunContinuationsAsynchronously);
        _logRequests[request.RequestId] = waiter;
        Enqueue(new AgentCommand(AgentCommandTypes.ReadLog, Log: request));
        var done = await Task.WhenAny(waiter.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        _logRequests.Remove(request.RequestId);
        return done == waiter.Task ? await waiter.Task : throw new TimeoutException($"agent '{AgentId}' did not answer the log request within 10 s");
    }

    /// <inheritdoc />
    public Task<AgentSnapshot> GetSnapshot() => Task.FromResult(new AgentSnapshot(
        state.State.Info ?? new AgentInfo(AgentId, "", Resources.Empty),
        state.State.Status,
        _link is not null,
        state.State.RegisteredTime,
        state.State.UnreachableTime,
        _tasks.Values.Select(e => e.Task).ToArray()));

    // ------------------------------------------------------------------ internals

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Now as Mesos stamps statuses: unix seconds.</summary>
    private double Timestamp() => UnixTime.Seconds(time.GetUtcNow());

    private TaskStatusUpdate MasterUpdate(AgentTask task, TaskState to, string reason, string message) =>
        new(task.TaskId, task.FrameworkId, to, Guid.Empty, Timestamp(), reason, message, task.Healthy);

    private void Validate(AgentInfo info)
    {
        if (MesosIds.Problem(info.AgentId, "agent_id") is { } badId)
        {
            throw new MasterValidationException(badId);
        }

        if (info.AgentId != AgentId)
        {
            throw new MasterValidationException($"registration names agent '{info.AgentId}' but was sent to '{AgentId}'");
        }

        if (string.IsNullOrWhiteSpace(info.Hostname))
        {
            throw new MasterValidationException("an agent needs a hostname");
        }

        try
        {
            AgentAttributes.Parse(info.Attributes);
        }
        catch (ResourceParseException ex)
        {
            throw new MasterValidationException($"agent '{AgentId}': {ex.Message}");
        }
    }

    private void Enqueue(AgentCommand command)
    {
        _commands.Add(command);
        Signal();
    }

    /// <summary>
    /// There is something for the link: ring its doorbell — once until the link fetches (a launch of many tasks queues
    /// a command each; one ring fetches them all).
    /// </summary>
    private void Signal()
    {
        if (_doorbell is { } doorbell && !_rang)
        {
            _rang = true;
            doorbell.Ring().Ignore();
        }
    }

    private void FlushAcks()
    {
        if (_pendingAcks.Count > 0)
        {
            _commands.Add(new AgentCommand(AgentCommandTypes.Acknowledge, Acks: _pendingAcks.ToArray()));
            _pendingAcks.Clear();
        }
    }

    /// <summary>Forgets the link and what it was to send: a new link starts from a registration that says what the daemon has.</summary>
    private void DropLink()
    {
        var doorbell = _doorbell;
        _link = null;
        _doorbell = null;
        doorbell?.Ring().Ignore(); // the old link's next fetch learns it must register again
        _publications.Clear();
        _commands.Clear();
        _pendingAcks.Clear();
        foreach (var waiter in _logRequests.Values)
        {
            waiter.TrySetException(new MasterValidationException($"agent '{AgentId}' disconnected before answering"));
        }

        _logRequests.Clear();
    }

    private async Task ReportToAllocatorAsync()
    {
        await Allocator.AddAgent(state.State.Info!, _tasks.Values.Where(e => e.Counted).Select(e => e.Task).ToArray());
        if (state.State.Status != AgentStatus.Active)
        {
            await Allocator.SetAgentActive(AgentId, false);
        }
    }

    private async Task CheckSilenceAsync()
    {
        var now = liveness.NowMs();

        // A check that ran late means the silo stalled, and what looks like the agent's silence may be the silo's.
        var stall = AgentLiveness.StallMs(_lastCheckMs, now, SilenceCheckInterval);
        _lastHeardMs += stall;
        _closedAtMs += stall;

        _lastCheckMs = now;
        if (state.State.Status is AgentStatus.Unknown or AgentStatus.Unreachable or AgentStatus.Gone || liveness.IsInProcess(AgentId))
        {
            // An agent in this very process lives as long as the silo that judges it.
            return;
        }

        var silent = now - _lastHeardMs >= (long)_options.AgentUnreachableTimeout.TotalMilliseconds;
        var gone = _link is null && _closedAtMs is { } closed && now - closed >= (long)Min(_options.AgentDisconnectedTimeout, _options.AgentUnreachableTimeout).TotalMilliseconds;
        if (!silent && !gone)
        {
            return;
        }

        await BecomeUnreachableAsync(gone ? "disconnected and did not come back" : $"silent for {_options.AgentUnreachableTimeout}");
    }

    /// <summary>
    /// The agent judges its own silence only where its silo cannot: with no link, or with a link another silo holds
    /// (whose death would not tell this one). A link on this silo is judged by the silo's sweep of all its links
    /// (<see cref="AgentLiveness.Sweep"/>), which saves 10,000 agents a timer each.
    /// </summary>
    private void CheckOwnSilenceWhenNeeded()
    {
        var needed = Standing && (_link is not { } link || liveness.LastHeard(link) is null);
        if (needed && _ownSilenceCheck is null)
        {
            _lastCheckMs = 0;
            _ownSilenceCheck = this.RegisterGrainTimer(_ => CheckSilenceAsync(), SilenceCheckInterval, SilenceCheckInterval);
        }
        else if (!needed && _ownSilenceCheck is not null)
        {
            _ownSilenceCheck.Dispose();
            _ownSilenceCheck = null;
        }
    }

    private async Task BecomeUnreachableAsync(string why)
    {
        MasterLog.AgentUnreachable(logger, AgentId, why);
        DropLink();
        state.State.Status = AgentStatus.Unreachable;
        state.State.UnreachableTime = time.GetUtcNow();
        CheckOwnSilenceWhenNeeded();
        await state.WriteStateAsync();
        await Allocator.RemoveAgent(AgentId);
        var updates = new List<TaskStatusUpdate>();
        foreach (var entry in _tasks.Values.Where(e => !e.Task.State.IsTerminal()))
        {
            updates.Add(MasterUpdate(entry.Task, TaskState.TASK_UNREACHABLE, TaskReasons.AgentDisconnected, $"agent '{AgentId}' is unreachable"));
            entry.Task = entry.Task with { State = TaskState.TASK_UNREACHABLE };
            entry.Counted = false;
        }

        await PublishAndForwardAsync(updates, MasterStreams.SourceMaster);
        foreach (var framework in _tasks.Values.Select(e => e.Task.FrameworkId).Distinct())
        {
            await GrainFactory.GetGrain<IFrameworkGrain>(framework).AgentLost(AgentId);
        }
    }

    private async Task CompleteDrainAsync()
    {
        if (state.State.Status == AgentStatus.Draining && _tasks.Values.All(e => e.Task.State.IsTerminal()))
        {
            state.State.Status = AgentStatus.Maintenance;
            await state.WriteStateAsync();
        }
    }

    private async Task PublishAndForwardAsync(IReadOnlyList<TaskStatusUpdate> updates, string source)
    {
        if (updates.Count > 0 && await Publication(updates, updates, source) is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <summary>
    /// Publishes <paramref name="toPublish"/> on the durable stream, then forwards <paramref name="toForward"/> to their
    /// frameworks, after every publication this activation began before: whoever reports (the daemon, or the master
    /// itself), the stream and the frameworks see one order. Completes with the failure, if any: those updates are then
    /// published again when the daemon resends them.
    /// </summary>
    private Task<Exception?> Publication(IReadOnlyList<TaskStatusUpdate> toPublish, IReadOnlyList<TaskStatusUpdate> toForward, string source)
    {
        return _published.Then(() => PublishThenForwardAsync(toPublish, toForward, source));
    }

    private async Task<Exception?> PublishThenForwardAsync(IReadOnlyList<TaskStatusUpdate> toPublish, IReadOnlyList<TaskStatusUpdate> toForward, string source)
    {
        try
        {
            await PublishAsync(toPublish, source);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            MasterLog.AgentUpdatesNotPublished(logger, AgentId, toPublish.Count, ex.Message);
            foreach (var update in toPublish)
            {
                if (_tasks.TryGetValue(update.TaskId, out var entry) && entry.LastPublished == update.Uuid)
                {
                    entry.LastPublished = null;
                }
            }

            return ex;
        }

        Forward(toForward, source);
        return null;
    }

    private Task PublishAsync(IReadOnlyList<TaskStatusUpdate> updates, string source) =>
        statuses.PublishAsync(updates.Select(u => new TaskStatusEvent(AgentId, u, source)).ToArray());

    private void Forward(IReadOnlyList<TaskStatusUpdate> updates, string source)
    {
        foreach (var group in updates.GroupBy(u => u.FrameworkId))
        {
            _ = GrainFactory.GetGrain<IFrameworkGrain>(group.Key).ReceiveUpdates(group.Select(u => new TaskStatusEvent(AgentId, u, source)).ToArray());
        }
    }

    private sealed class TaskEntry(AgentTask task)
    {
        public AgentTask Task { get; set; } = task;

        /// <summary>True while its resources are charged in the allocator.</summary>
        public bool Counted { get; set; }

        /// <summary>The uuid of the last update published on the stream.</summary>
        public Guid? LastPublished { get; set; }

        /// <summary>True once a kill was asked.</summary>
        public bool KillRequested { get; set; }
    }
}

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
internal sealed partial class AgentGrain(
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
    private Queue<(AgentTask Task, TaskStatusEntry[] Statuses)>? _completed; // made by the first ended task: most agents of a large cluster run long tasks
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

    /// <summary>When the agent was removed (this activation); its link is dropped <see cref="GoneLinkGraceMs"/> later.</summary>
    private long? _goneAtMs;

    /// <summary>How long a removed agent's link stays for the kills of its tasks to reach it.</summary>
    private const long GoneLinkGraceMs = 5_000;
    private IGrainTimer? _ownSilenceCheck;

    private string AgentId => this.GetPrimaryKeyString();

    private TimeSpan SilenceCheckInterval => AgentLiveness.CheckInterval(_options.AgentUnreachableTimeout);

    /// <summary>Registered and not given up on: active, draining or in maintenance.</summary>
    private bool Standing => state.State.Status.IsRegistered();

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
            // How the task is found comes from its launch when the daemon's report does not say (a daemon of before).
            var task = reported[id] is { Discovery: null } bare && _tasks.TryGetValue(id, out var known) ? bare with { Discovery = known.Task.Discovery } : reported[id];
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
            entry.Record(new TaskStatusEntry(TaskState.TASK_LOST, Timestamp(), entry.Task.Healthy));
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
        return new AgentRegistered(AgentId, _options.AgentHeartbeatInterval.TotalSeconds, kill, state.State.Checkpointed);
    }

    /// <inheritdoc />
    public Task<bool> Heartbeat(Guid linkId)
    {
        // A removed agent keeps its link only long enough for the kills of its tasks to go out; then the daemon is cut
        // off (and, its credential revoked or its id gone, cannot register again).
        if (_link != linkId || state.State.Status == AgentStatus.Unreachable
            || (state.State.Status == AgentStatus.Gone && (_goneAtMs is not { } gone || liveness.NowMs() - gone > GoneLinkGraceMs)))
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

            if (update.State != entry.Task.State || (update.Healthy is { } health && health != entry.Task.Healthy) || entry.Statuses is null)
            {
                entry.Record(new TaskStatusEntry(update.State, update.Timestamp, update.Healthy));
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

        if (!info.Resources.Dynamic.IsEmpty)
        {
            throw new MasterValidationException($"agent '{AgentId}' reports {info.Resources.Dynamic}: dynamic reservations and volumes are made through the master, not reported");
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
        await Allocator.AddAgent(EffectiveInfo(), _tasks.Values.Where(e => e.Counted).Select(e => e.Task).ToArray());
        if (state.State.Status != AgentStatus.Active)
        {
            await Allocator.SetAgentActive(AgentId, false);
        }
    }

    /// <summary>Keeps an ended task (and the statuses it went through) for the operator API, within <see cref="MasterOptions.MaxCompletedTasksPerAgent"/>.</summary>
    private void Completed(TaskEntry entry)
    {
        if (_options.MaxCompletedTasksPerAgent == 0)
        {
            return;
        }

        _completed ??= new Queue<(AgentTask, TaskStatusEntry[])>();
        _completed.Enqueue((entry.Task, entry.Statuses?.ToArray() ?? []));
        while (_completed.Count > _options.MaxCompletedTasksPerAgent)
        {
            _completed.Dequeue();
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

        /// <summary>The statuses it went through, oldest first (at most <see cref="MaxStatuses"/>: the first and the latest).</summary>
        public List<TaskStatusEntry>? Statuses { get; private set; }

        private const int MaxStatuses = 16;

        public void Record(TaskStatusEntry status)
        {
            Statuses ??= new List<TaskStatusEntry>(2);
            if (Statuses.Count == MaxStatuses)
            {
                Statuses.RemoveAt(1); // keep the first status and the latest ones
            }

            Statuses.Add(status);
        }
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Concurrency;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Frameworks;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Scheduling.Time;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// One framework, as Mesos' master keeps it: the subscription (a new one replaces the old stream), the event
/// queue its stream polls, outstanding offers, ACCEPT with validation (invalid offers DROP the tasks, invalid tasks
/// are ERROR), kills, acknowledgements, reconciliation, and the failover timeout (a reminder, so it survives the
/// silo) after which the framework is torn down and its tasks killed. Status updates of frameworks that are not
/// partition-aware are translated as Mesos does (UNREACHABLE, GONE, DROPPED and UNKNOWN become LOST).
/// </summary>
internal sealed class FrameworkGrain(
    [PersistentState("framework")] IPersistentState<FrameworkGrainState> state,
    IOptions<MasterOptions> options,
    TimeProvider time,
    TaskStatusStream statuses,
    CoarseDelay delays,
    ILogger<FrameworkGrain> logger) : Grain, IFrameworkGrain, IRemindable
{
    private const string FailoverReminder = "failover";
    private const int PublishAttempts = 10;
    private readonly MasterOptions _options = options.Value;
    private readonly Outbox<FrameworkEvent> _events = new(delays);
    private readonly Dictionary<string, OfferInfo> _offers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FrameworkTask> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskStatusEvent> _unacked = new(StringComparer.Ordinal);
    private readonly HashSet<Guid> _queuedUpdates = [];
    private Guid? _stream;
    private bool _suppressed;
    private bool _indexComplete;
    private IDisposable? _failoverTimer;
    private readonly InOrder _published = new();

    private string FrameworkId => this.GetPrimaryKeyString();

    private IAllocatorGrain Allocator => GrainFactory.GetGrain<IAllocatorGrain>(MasterKeys.Allocator);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Info is not null && !state.State.Removed)
        {
            DelayDeactivation(TimeSpan.FromDays(365));

            // Reactivated without its stream (its silo died): it is away from now on until it subscribes again.
            if (state.State.DisconnectedTime is null)
            {
                state.State.DisconnectedTime = time.GetUtcNow();
                await state.WriteStateAsync(cancellationToken);
            }

            await StartFailoverAsync();
        }
    }

    // ------------------------------------------------------------------ subscription

    /// <inheritdoc />
    public async Task<Subscription> Subscribe(FrameworkInfo info)
    {
        if (state.State.Removed)
        {
            throw new FrameworkNotSubscribedException($"framework '{FrameworkId}' has been removed (torn down or failed over too late)");
        }

        info = Validate(info with { Id = FrameworkId });
        var previous = state.State.Info;
        if (previous is not null && !previous.EffectiveRoles.Order(StringComparer.Ordinal).SequenceEqual(info.EffectiveRoles.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            throw new MasterValidationException($"framework '{FrameworkId}' subscribed with roles [{string.Join(", ", previous.EffectiveRoles)}]; changing roles is not supported");
        }

        // A new subscription replaces the old stream; what was offered on it is void.
        CloseStream();
        _stream = Guid.NewGuid();
        _offers.Clear();
        DelayDeactivation(TimeSpan.FromDays(365));
        state.State.Info = info;
        state.State.RegisteredTime = previous is null || state.State.RegisteredTime == default ? time.GetUtcNow() : state.State.RegisteredTime;
        state.State.DisconnectedTime = null;
        await state.WriteStateAsync();
        await StopFailoverAsync();
        if (previous is null)
        {
            await GrainFactory.GetGrain<IRegistryGrain>(MasterKeys.FrameworkRegistry).Add(FrameworkId);
        }

        await Allocator.AddFramework(FrameworkId, info.EffectiveRoles, active: true, _suppressed);

        // Updates the framework has not acknowledged are delivered again at once on the new stream.
        foreach (var pending in _unacked.Values)
        {
            Enqueue(new FrameworkEvent(FrameworkEventTypes.Update, Status: Translate(pending)));
        }

        MasterLog.FrameworkSubscribed(logger, FrameworkId, info.Name);
        return new Subscription(FrameworkId, _stream.Value, _options.FrameworkHeartbeatInterval);
    }

    /// <inheritdoc />
    public async Task<FrameworkEventBatch> Poll(Guid streamId, long after, TimeSpan wait)
    {
        if (_stream != streamId)
        {
            return new FrameworkEventBatch(after, [], Closed: true);
        }

        Trim(after);
        await _events.WaitAsync(wait);
        if (_stream != streamId)
        {
            return new FrameworkEventBatch(after, [], Closed: true);
        }

        var (cursor, batch) = _events.After(after);
        return new FrameworkEventBatch(cursor, batch, Closed: false);
    }

    /// <inheritdoc />
    public async Task Disconnected(Guid streamId)
    {
        if (_stream != streamId || state.State.Removed)
        {
            return;
        }

        CloseStream();
        state.State.DisconnectedTime = time.GetUtcNow();
        await state.WriteStateAsync();
        await Allocator.SetFrameworkActive(FrameworkId, false);
        MasterLog.FrameworkDisconnected(logger, FrameworkId, state.State.Info!.FailoverTimeoutSeconds);
        await StartFailoverAsync();
    }

    // ------------------------------------------------------------------ calls

    /// <inheritdoc />
    public async Task Accept(Guid streamId, AcceptCall call)
    {
        CheckStream(streamId);
        if (call.OfferIds.Count == 0)
        {
            throw new MasterValidationException("ACCEPT needs at least one offer id");
        }

        var offers = call.OfferIds.Distinct().Select(id => _offers.GetValueOrDefault(id)).ToArray();
        var offersValid = offers.All(o => o is not null) && offers.Select(o => o!.AgentId).Distinct().Count() == 1;
        var agentId = offersValid ? offers[0]!.AgentId : null;
        var role = offersValid ? offers[0]!.Role : Resource.AnyRole;
        if (call.Operations.FirstOrDefault(o => o.Type is not (OfferOperationTypes.Launch or OfferOperationTypes.LaunchGroup)) is { } unsupported)
        {
            throw new MasterValidationException($"operation {unsupported.Type} is not supported (LAUNCH and LAUNCH_GROUP are)");
        }

        var verdict = AcceptValidator.Validate(
            call.Operations.Select(o => new LaunchOperation(o.Type == OfferOperationTypes.LaunchGroup, o.Tasks.Select(t => new LaunchRequest(t.TaskId, t.Command is not null || t.Docker is not null, t.Resources)).ToArray())).ToArray(),
            offersValid ? offers.Aggregate(Resources.Empty, (sum, o) => sum.Plus(o!.Resources)) : null,
            id => _tasks.TryGetValue(id, out var known) && !known.State.IsTerminal());
        var rejected = verdict.Refused.Select(r => Update(r.TaskId, TaskState.TASK_ERROR, TaskReasons.TaskInvalid, r.Reason)).ToList();
        var groupIds = call.Operations.Select(o => o.Type == OfferOperationTypes.LaunchGroup ? $"group-{Guid.NewGuid():N}" : null).ToArray();
        var launches = verdict.Launch.Select(Launchable).ToList();
        TaskSpec Launchable((int Operation, int Task) at)
        {
            var task = call.Operations[at.Operation].Tasks[at.Task];
            return task with { FrameworkId = FrameworkId, Role = role, GroupId = groupIds[at.Operation] ?? task.GroupId };
        }

        string? problem = offersValid ? null : "offers are no longer valid or are on different agents";
        if (offersValid)
        {
            problem = await Allocator.Accept(FrameworkId, call.OfferIds, verdict.Used, call.Refuse);
        }
        else
        {
            await Allocator.Decline(FrameworkId, call.OfferIds, call.Refuse);
        }

        foreach (var id in call.OfferIds)
        {
            _offers.Remove(id);
        }

        MasterLog.FrameworkAccept(logger, FrameworkId, call.OfferIds, launches.Count, agentId, problem ?? "ok");
        if (problem is not null)
        {
            rejected.AddRange(launches.Select(t => Update(t.TaskId, TaskState.TASK_DROPPED, TaskReasons.InvalidOffers, problem)));
            launches.Clear();
        }

        foreach (var task in launches)
        {
            _tasks[task.TaskId] = new FrameworkTask(task.TaskId, agentId!, TaskState.TASK_STAGING);
        }

        if (launches.Count > 0)
        {
            await GrainFactory.GetGrain<IAgentGrain>(agentId!).Launch(FrameworkId, launches);
        }

        PublishAndQueue(rejected, agentId ?? "");
    }

    /// <inheritdoc />
    public async Task Decline(Guid streamId, IReadOnlyList<string> offerIds, TimeSpan? refuse)
    {
        CheckStream(streamId);
        foreach (var id in offerIds)
        {
            _offers.Remove(id);
        }

        await Allocator.Decline(FrameworkId, offerIds, refuse);
    }

    /// <inheritdoc />
    public async Task Suppress(Guid streamId, IReadOnlyList<string>? roles)
    {
        CheckStream(streamId);
        _suppressed = roles is null || roles.Count == 0 || _suppressed;
        await Allocator.Suppress(FrameworkId, roles is { Count: > 0 } ? roles : null);
    }

    /// <inheritdoc />
    public async Task Revive(Guid streamId, IReadOnlyList<string>? roles)
    {
        CheckStream(streamId);
        _suppressed = _suppressed && roles is { Count: > 0 };
        await Allocator.Revive(FrameworkId, roles is { Count: > 0 } ? roles : null);
    }

    /// <inheritdoc />
    public async Task Kill(Guid streamId, string taskId, string? agentId, TimeSpan? gracePeriod)
    {
        CheckStream(streamId);
        var where = _tasks.TryGetValue(taskId, out var known) ? known.AgentId : agentId;
        if (where is null)
        {
            PublishAndQueue([Update(taskId, UnknownState, TaskReasons.Reconciliation, "the master does not know this task")], "");
            return;
        }

        switch (await GrainFactory.GetGrain<IAgentGrain>(where).Kill(FrameworkId, taskId, gracePeriod))
        {
            case KillAnswer.Unknown:
                PublishAndQueue([Update(taskId, UnknownState, TaskReasons.Reconciliation, $"agent {where} does not run this task")], where);
                break;
            case KillAnswer.Unreachable:
                // As Mesos: the task may be alive on the far side of a partition; the framework decides.
                PublishAndQueue([Update(taskId, UnreachableState, TaskReasons.AgentDisconnected, $"agent {where} is unreachable: the kill waits for it to come back")], where);
                break;
        }
    }

    /// <inheritdoc />
    public async Task Acknowledge(Guid streamId, string agentId, string taskId, Guid uuid)
    {
        CheckStream(streamId);
        Acknowledged(taskId, uuid);
        await GrainFactory.GetGrain<IAgentGrain>(agentId).Acknowledge(FrameworkId, taskId, uuid);
    }

    /// <inheritdoc />
    public async Task AcknowledgeAll(Guid streamId, IReadOnlyList<TaskStatusEvent> updates)
    {
        CheckStream(streamId);
        foreach (var update in updates)
        {
            Acknowledged(update.Status.TaskId, update.Status.Uuid);
        }

        // Each agent takes its acks in order; agents are told in parallel.
        await Task.WhenAll(updates.GroupBy(u => u.AgentId).Select(async byAgent =>
        {
            var agent = GrainFactory.GetGrain<IAgentGrain>(byAgent.Key);
            foreach (var update in byAgent)
            {
                await agent.Acknowledge(FrameworkId, update.Status.TaskId, update.Status.Uuid);
            }
        }));
    }

    private void Acknowledged(string taskId, Guid uuid)
    {
        if (_unacked.TryGetValue(taskId, out var pending) && pending.Status.Uuid == uuid)
        {
            _unacked.Remove(taskId);
            if (pending.Status.State.IsTerminal())
            {
                _tasks.Remove(taskId);
            }
        }
    }

    /// <inheritdoc />
    public async Task Reconcile(Guid streamId, IReadOnlyList<ReconcileTask> tasks)
    {
        CheckStream(streamId);
        if (tasks.Count == 0 || tasks.Any(t => !_tasks.ContainsKey(t.TaskId) && t.AgentId is null))
        {
            await CompleteIndexAsync();
        }

        // Ask each agent once for the tasks it holds; answer every task named (or every task known).
        var wanted = tasks.Count == 0
            ? _tasks.Values.Select(t => new ReconcileTask(t.TaskId, t.AgentId)).ToArray()
            : tasks.Select(t => new ReconcileTask(t.TaskId, _tasks.GetValueOrDefault(t.TaskId)?.AgentId ?? t.AgentId)).ToArray();
        var answers = new List<TaskStatusEvent>();
        foreach (var byAgent in wanted.GroupBy(t => t.AgentId ?? ""))
        {
            var found = byAgent.Key.Length == 0
                ? []
                : await GrainFactory.GetGrain<IAgentGrain>(byAgent.Key).Tasks(FrameworkId, byAgent.Select(t => t.TaskId).ToArray());
            if (found is null)
            {
                continue; // a transitioning agent: no answer now; the framework reconciles again later
            }

            var byId = found.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
            foreach (var task in byAgent)
            {
                var status = byId.TryGetValue(task.TaskId, out var agentTask)
                    ? new TaskStatusUpdate(task.TaskId, FrameworkId, agentTask.State, Guid.Empty, Timestamp(), TaskReasons.Reconciliation, agentTask.Message, agentTask.Healthy)
                    : Update(task.TaskId, UnknownState, TaskReasons.Reconciliation, "the master does not know this task");
                answers.Add(new TaskStatusEvent(byAgent.Key, status, MasterStreams.SourceMaster));
            }
        }

        foreach (var answer in answers)
        {
            Enqueue(new FrameworkEvent(FrameworkEventTypes.Update, Status: Translate(answer)));
        }
    }

    /// <inheritdoc />
    public async Task Teardown(Guid streamId)
    {
        CheckStream(streamId);
        await RemoveAsync("the framework tore itself down");
    }

    /// <inheritdoc />
    public Task Remove() => state.State.Info is null || state.State.Removed ? Task.CompletedTask : RemoveAsync("torn down by the operator");

    // ------------------------------------------------------------------ from the allocator and agents

    /// <inheritdoc />
    public async Task ReceiveOffers(IReadOnlyList<OfferInfo> offers)
    {
        if (_stream is null)
        {
            // Nobody to offer to (away or removed): give them back at once, unfiltered.
            await Allocator.Decline(FrameworkId, offers.Select(o => o.OfferId).ToArray(), TimeSpan.Zero);
            return;
        }

        foreach (var offer in offers)
        {
            _offers[offer.OfferId] = offer;
        }

        Enqueue(new FrameworkEvent(FrameworkEventTypes.Offers, Offers: offers));
    }

    /// <inheritdoc />
    public Task Rescind(IReadOnlyList<string> offerIds)
    {
        foreach (var id in offerIds)
        {
            if (_offers.Remove(id))
            {
                Enqueue(new FrameworkEvent(FrameworkEventTypes.Rescind, OfferId: id));
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReceiveUpdates(IReadOnlyList<TaskStatusEvent> updates)
    {
        foreach (var update in updates)
        {
            Index(update);

            // A resend of an update still waiting in the queue (the daemon did not hear the ack in time) is not queued twice.
            if (_stream is not null && !_queuedUpdates.Contains(update.Status.Uuid))
            {
                Enqueue(new FrameworkEvent(FrameworkEventTypes.Update, Status: Translate(update)));
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AgentLost(string agentId)
    {
        if (_stream is not null)
        {
            Enqueue(new FrameworkEvent(FrameworkEventTypes.Failure, AgentId: agentId));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Resync()
    {
        if (state.State.Info is not { } info || state.State.Removed)
        {
            return Task.CompletedTask;
        }

        // The allocator that made the outstanding offers is gone: they are void.
        foreach (var offerId in _offers.Keys.ToArray())
        {
            _offers.Remove(offerId);
            Enqueue(new FrameworkEvent(FrameworkEventTypes.Rescind, OfferId: offerId));
        }

        return Allocator.AddFramework(FrameworkId, info.EffectiveRoles, _stream is not null, _suppressed);
    }

    /// <inheritdoc />
    public Task<FrameworkSnapshot> GetSnapshot() => Task.FromResult(new FrameworkSnapshot(
        state.State.Info ?? new FrameworkInfo(FrameworkId, ""),
        Active: _stream is not null && !state.State.Removed,
        Connected: _stream is not null,
        Removed: state.State.Removed,
        state.State.RegisteredTime,
        state.State.DisconnectedTime,
        _tasks.Values.ToArray(),
        _offers.Values.ToArray()));

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == FailoverReminder)
        {
            await CheckFailoverAsync();
        }
    }

    // ------------------------------------------------------------------ internals

    /// <summary>Now as Mesos stamps statuses: unix seconds.</summary>
    private double Timestamp() => UnixTime.Seconds(time.GetUtcNow());

    /// <summary>A framework's failover timeout (Mesos gives it in seconds; a huge one is as good as forever).</summary>
    private static TimeSpan FailoverTimeout(FrameworkInfo info) =>
        info.FailoverTimeoutSeconds >= TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.MaxValue / 2 : TimeSpan.FromSeconds(info.FailoverTimeoutSeconds);

    private TaskState UnknownState => state.State.Info?.PartitionAware == true ? TaskState.TASK_UNKNOWN : TaskState.TASK_LOST;

    private TaskState UnreachableState => state.State.Info?.PartitionAware == true ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST;

    private static FrameworkInfo Validate(FrameworkInfo info)
    {
        if (MesosIds.Problem(info.Id, "framework_id") is { } badId)
        {
            throw new MasterValidationException(badId);
        }

        if (string.IsNullOrWhiteSpace(info.Name))
        {
            throw new MasterValidationException("framework_info.name is required");
        }

        if (!(info.FailoverTimeoutSeconds >= 0) || double.IsInfinity(info.FailoverTimeoutSeconds))
        {
            throw new MasterValidationException($"framework_info.failover_timeout must be a non-negative number of seconds (is {info.FailoverTimeoutSeconds})");
        }

        foreach (var role in info.EffectiveRoles)
        {
            if (role.Length == 0 || role is "." or ".." || role.StartsWith('-') || role.Any(c => char.IsWhiteSpace(c) || c is '/' or '\\'))
            {
                throw new MasterValidationException($"framework_info.roles: '{role}' is not a valid role name");
            }
        }

        return info;
    }

    private TaskStatusUpdate Update(string taskId, TaskState to, string reason, string message) =>
        new(taskId, FrameworkId, to, Guid.Empty, Timestamp(), reason, message);

    private void CheckStream(Guid streamId)
    {
        if (state.State.Removed)
        {
            throw new FrameworkNotSubscribedException($"framework '{FrameworkId}' has been removed");
        }

        if (_stream != streamId)
        {
            throw new FrameworkNotSubscribedException($"framework '{FrameworkId}' is not subscribed on stream {streamId}: subscribe first (or again)");
        }
    }

    private void Enqueue(FrameworkEvent @event)
    {
        if (@event.Status is { Status.Uuid: var uuid } && uuid != Guid.Empty)
        {
            _queuedUpdates.Add(uuid);
        }

        _events.Add(@event);
    }

    /// <summary>Forgets the events the stream has taken (its cursor is past them).</summary>
    private void Trim(long after) => _events.Acknowledge(after, taken =>
    {
        if (taken.Status is { Status.Uuid: var uuid })
        {
            _queuedUpdates.Remove(uuid);
        }
    });

    private void CloseStream()
    {
        _stream = null;
        _queuedUpdates.Clear();
        _events.Clear();
    }

    /// <summary>Keeps the index and the unacknowledged updates current.</summary>
    private void Index(TaskStatusEvent update)
    {
        var status = update.Status;
        if (status.Uuid != Guid.Empty)
        {
            _unacked[status.TaskId] = update;
        }

        if (status.State.IsTerminal() && status.Uuid == Guid.Empty)
        {
            _tasks.Remove(status.TaskId);
        }
        else if (update.AgentId.Length > 0)
        {
            _tasks[status.TaskId] = new FrameworkTask(status.TaskId, update.AgentId, status.State);
        }
    }

    /// <summary>What a framework that is not partition-aware is told instead of the newer states.</summary>
    private TaskStatusEvent Translate(TaskStatusEvent update)
    {
        if (state.State.Info?.PartitionAware == true)
        {
            return update;
        }

        return update.Status.State is TaskState.TASK_UNREACHABLE or TaskState.TASK_GONE or TaskState.TASK_GONE_BY_OPERATOR or TaskState.TASK_DROPPED or TaskState.TASK_UNKNOWN
            ? update with { Status = update.Status with { State = TaskState.TASK_LOST } }
            : update;
    }

    /// <summary>
    /// Publishes updates the master made (DROPPED, ERROR, UNKNOWN …) on the durable stream, then queues them for the
    /// framework, after those made before. The call that made them (ACCEPT, KILL) does not wait for the stream, as
    /// Mesos answers such calls before their updates: behind a busy stream, an ACCEPT of stale offers otherwise took
    /// longer than its callers wait. A failed write is tried again (backing off) while the framework is active here.
    /// </summary>
    private void PublishAndQueue(IReadOnlyList<TaskStatusUpdate> updates, string agentId)
    {
        if (updates.Count > 0)
        {
            var events = updates.Select(u => new TaskStatusEvent(agentId, u, MasterStreams.SourceMaster)).ToArray();
            _published.Then(() => PublishThenQueueAsync(events));
        }
    }

    private async Task PublishThenQueueAsync(IReadOnlyList<TaskStatusEvent> events)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await statuses.PublishAsync(events);
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && attempt < PublishAttempts)
            {
                MasterLog.FrameworkUpdatesRetried(logger, FrameworkId, events.Count, attempt, ex.Message);
                await Task.Delay(backoff);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Given up: the framework learns the tasks' states by reconciling, as when a master fails over.
                MasterLog.FrameworkUpdatesLost(logger, ex, FrameworkId, events.Count);
                return;
            }
        }

        foreach (var @event in events)
        {
            Index(@event);
            Enqueue(new FrameworkEvent(FrameworkEventTypes.Update, Status: Translate(@event)));
        }
    }

    /// <summary>Asks every registered agent for this framework's tasks (after a failover the index starts empty).</summary>
    private async Task CompleteIndexAsync()
    {
        if (_indexComplete)
        {
            return;
        }

        var transitioning = false;
        foreach (var shard in MasterKeys.AllAgentRegistries)
        {
            foreach (var (agentId, removed) in await GrainFactory.GetGrain<IRegistryGrain>(shard).List())
            {
                if (removed)
                {
                    continue;
                }

                var tasks = await GrainFactory.GetGrain<IAgentGrain>(agentId).Tasks(FrameworkId, []);
                if (tasks is null)
                {
                    transitioning = true;
                    continue;
                }

                foreach (var task in tasks)
                {
                    _tasks.TryAdd(task.TaskId, new FrameworkTask(task.TaskId, agentId, task.State));
                }
            }
        }

        _indexComplete = !transitioning;
    }

    private async Task StartFailoverAsync()
    {
        var info = state.State.Info!;
        var remaining = state.State.DisconnectedTime!.Value + FailoverTimeout(info) - time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            await RemoveAsync($"its failover timeout ({info.FailoverTimeoutSeconds} s) passed");
            return;
        }

        // A timer for precision; a reminder so the timeout still fires if this silo dies meanwhile.
        _failoverTimer?.Dispose();
        _failoverTimer = this.RegisterGrainTimer(_ => CheckFailoverAsync(), remaining, Timeout.InfiniteTimeSpan);
        await this.RegisterOrUpdateReminder(FailoverReminder, remaining, TimeSpan.FromMinutes(1));
    }

    private async Task StopFailoverAsync()
    {
        _failoverTimer?.Dispose();
        _failoverTimer = null;
        if (await this.GetReminder(FailoverReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task CheckFailoverAsync()
    {
        if (state.State is { Removed: false, DisconnectedTime: { } since, Info: { } info } && _stream is null
            && time.GetUtcNow() >= since + FailoverTimeout(info) - TimeSpan.FromMilliseconds(1))
        {
            await RemoveAsync($"its failover timeout ({info.FailoverTimeoutSeconds} s) passed");
        }
        else if (_stream is not null || state.State.Removed)
        {
            await StopFailoverAsync();
        }
    }

    private async Task RemoveAsync(string why)
    {
        MasterLog.FrameworkRemoved(logger, FrameworkId, why);
        state.State.Removed = true;
        await state.WriteStateAsync();
        CloseStream();
        _offers.Clear();
        await StopFailoverAsync();
        await GrainFactory.GetGrain<IRegistryGrain>(MasterKeys.FrameworkRegistry).MarkRemoved(FrameworkId);
        await Allocator.RemoveFramework(FrameworkId);

        // Every agent is told (the index may be incomplete after a failover); agents also kill the framework's
        // tasks when a daemon re-registers with them later.
        foreach (var shard in MasterKeys.AllAgentRegistries)
        {
            foreach (var (agentId, removed) in await GrainFactory.GetGrain<IRegistryGrain>(shard).List())
            {
                if (!removed)
                {
                    await GrainFactory.GetGrain<IAgentGrain>(agentId).ShutdownFramework(FrameworkId);
                }
            }
        }
    }
}

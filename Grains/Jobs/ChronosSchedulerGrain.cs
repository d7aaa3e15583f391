using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Master;
using OrleansDcos.Scheduling.Jobs;
using OrleansDcos.Scheduling.Placement;
using OrleansDcos.Scheduling.Resources;
using TaskRequest = OrleansDcos.Scheduling.Placement.TaskRequest;

namespace OrleansDcos.Grains.Jobs;

/// <summary>
/// Chronos as a framework of the master, in-cluster, like Marathon's scheduler: it subscribes (failover timeout a
/// week), long-polls its event stream from an interleaved pump, places queued runs on each batch of offers with the
/// placement engine (each run its own group: resources, EQUALS/LIKE/UNLIKE constraints, roles),
/// records the round's tasks launched (one write) before launching them, declines the rest, and routes status updates
/// to the jobs, acknowledging them once the job recorded them. Its queue is soft state: on activation the jobs queue
/// their runs again (a run found in the launched record is told to its job, not launched again), and an implicit
/// reconciliation brings every task's state.
/// </summary>
internal sealed class ChronosSchedulerGrain(
    [PersistentState("chronosscheduler")] IPersistentState<ChronosSchedulerState> state,
    IOptions<JobsOptions> options,
    TimeProvider time,
    RandomSource random,
    ILogger<ChronosSchedulerGrain> logger) : Grain, IChronosSchedulerGrain
{
    private static readonly TimeSpan PollWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromDays(7);

    /// <summary>How often grown demand is told to the master (a revive).</summary>
    private static readonly TimeSpan DemandCheck = TimeSpan.FromMilliseconds(50);
    private readonly JobsOptions _options = options.Value;
    private readonly Dictionary<string, JobLaunch> _queue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _toReconcile = new(StringComparer.Ordinal);
    private readonly Random _random = random.Create();

    private Guid? _stream;
    private long _cursor;
    private bool _suppressed;
    private bool _demandGrew;
    private IDisposable? _pump;

    private IFrameworkGrain Framework => GrainFactory.GetGrain<IFrameworkGrain>(JobKeys.FrameworkId);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DelayDeactivation(TimeSpan.FromDays(365));
        _pump = this.RegisterGrainTimer(PumpAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = true });
        this.RegisterGrainTimer(_ => _demandGrew ? TellDemandAsync() : Task.CompletedTask, DemandCheck, DemandCheck);
        _ = GrainFactory.GetGrain<IJobsGrain>(JobKeys.Root).SchedulerRestarted();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _pump?.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Ping() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task Enqueue(JobLaunch launch)
    {
        if (LaunchRecord(launch.TaskId) is { } launched)
        {
            // Launched before its job heard of it (the job or this grain failed over): told, and asked about once late.
            GrainFactory.GetGrain<IJobGrain>(launch.Job.Name).Launched(launch.TaskId, launched.AgentId, launched.Host, launched.At).Ignore();
            if (time.GetUtcNow() - launched.At >= _options.LaunchReconcileAfter)
            {
                _toReconcile[launch.TaskId] = launched.AgentId;
                await ReconcilePendingAsync();
            }

            return;
        }

        // A burst of due runs (a cluster's cron at :00) is one revive, told by the demand timer, not one per run.
        _demandGrew |= !_queue.ContainsKey(launch.TaskId);
        _queue[launch.TaskId] = _queue.TryGetValue(launch.TaskId, out var known) ? launch with { Since = known.Since } : launch;
    }

    /// <inheritdoc />
    public async Task Dequeue(string taskId)
    {
        if (_queue.Remove(taskId))
        {
            await TellDemandAsync();
        }
    }

    /// <inheritdoc />
    public async Task Kill(string taskId, string? agentId)
    {
        _queue.Remove(taskId);
        if (_stream is { } stream)
        {
            try
            {
                await Framework.Kill(stream, taskId, agentId, null);
            }
            catch (FrameworkNotSubscribedException)
            {
                _stream = null;
            }
        }
    }

    /// <inheritdoc />
    public async Task Reconcile(string taskId, string? agentId)
    {
        _toReconcile[taskId] = agentId;
        await ReconcilePendingAsync();
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, LaunchedTask>> LaunchedOf(string job) => Task.FromResult<IReadOnlyDictionary<string, LaunchedTask>>(
        state.State.Launched.TryGetValue(job, out var tasks) ? new Dictionary<string, LaunchedTask>(tasks, StringComparer.Ordinal) : new Dictionary<string, LaunchedTask>());

    /// <inheritdoc />
    public Task<IReadOnlyList<JobLaunch>> Queue() => Task.FromResult<IReadOnlyList<JobLaunch>>([.. _queue.Values.OrderBy(l => l.Since)]);

    private async Task ReconcilePendingAsync()
    {
        if (_stream is not { } stream || _toReconcile.Count == 0)
        {
            return;
        }

        var tasks = _toReconcile.Select(kv => new ReconcileTask(kv.Key, kv.Value)).ToList();
        _toReconcile.Clear();
        await Framework.Reconcile(stream, tasks);
    }

    /// <summary>Revives while runs wait, suppresses while none do (told again only when that changes).</summary>
    private async Task TellDemandAsync()
    {
        if (_stream is not { } stream)
        {
            return;
        }

        _demandGrew = false;
        var waiting = _queue.Count > 0;
        if (waiting)
        {
            await Framework.Revive(stream, null);
        }
        else if (!_suppressed)
        {
            await Framework.Suppress(stream, null);
        }

        _suppressed = !waiting;
    }

    // ------------------------------------------------------------------ the event pump

    /// <summary>
    /// The pump runs until its timer goes or the host stops: a silo stopping ends it at once, else the silo's grain
    /// deactivation would wait out its timeout (30 s) for this callback.
    /// </summary>
    private async Task PumpAsync(CancellationToken timer)
    {
        var stopping = ServiceProvider.GetService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer, stopping);
        await PumpUntilAsync(linked.Token);
    }

    private async Task PumpUntilAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                if (_stream is null)
                {
                    await SubscribeAsync();
                }

                var batch = await Framework.Poll(_stream!.Value, _cursor, PollWait).WaitAsync(cancellation);
                if (batch.Closed)
                {
                    _stream = null;
                    continue;
                }

                _cursor = batch.Cursor;
                var offers = batch.Events.Where(e => e.Type == FrameworkEventTypes.Offers).SelectMany(e => e.Offers ?? []).ToList();
                var updates = batch.Events.Where(e => e.Type == FrameworkEventTypes.Update).Select(e => e.Status!).ToList();

                // Offers first: queued runs wait for them, while updates only wait to be recorded (and acknowledged).
                if (offers.Count > 0)
                {
                    await HandleOffersAsync(offers);
                }

                if (updates.Count > 0)
                {
                    await HandleUpdatesAsync(updates);
                }
            }
            catch (Exception ex) when (!cancellation.IsCancellationRequested)
            {
                JobsLog.PumpFailed(logger, ex);
                _stream = null;
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
                }
                catch (OperationCanceledException)
                {
                    // Deactivating.
                }
            }
        }
    }

    private async Task SubscribeAsync()
    {
        var subscription = await Framework.Subscribe(new FrameworkInfo(
            Id: JobKeys.FrameworkId,
            Name: "chronos",
            User: "",
            Roles: _options.Roles,
            FailoverTimeoutSeconds: FailoverTimeout.TotalSeconds,
            Capabilities: ["MULTI_ROLE", "PARTITION_AWARE"])); // an unreachable agent's runs wait for it (JobGrain)
        _stream = subscription.StreamId;
        _cursor = 0;
        _suppressed = false;
        JobsLog.Subscribed(logger, subscription.FrameworkId);

        // Every task the master knows comes back as an update: jobs learn what they missed and kill what they do not know.
        await Framework.Reconcile(subscription.StreamId, []);
        await ReconcilePendingAsync();
        await TellDemandAsync();
    }

    // ------------------------------------------------------------------ offers

    private async Task HandleOffersAsync(IReadOnlyList<OfferInfo> offers)
    {
        if (_stream is not { } stream)
        {
            return;
        }

        var (byAgent, agents) = InClusterFramework.AgentsOf(offers);
        var queued = _queue.Values.OrderBy(l => l.Job.HighPriority ? 0 : 1).ThenBy(l => l.Since).ToList();
        var considered = queued.Select(l => l.TaskId).ToHashSet(StringComparer.Ordinal);
        var matches = queued.Count == 0 ? [] : OfferMatching.Match(agents, [.. queued.Select(l => new QueuedLaunch(RequestOf(l), 1))], [], _random);

        // The round's tasks are recorded launched (one write) before anything is launched: a run queued again after a
        // failover is then known launched, never launched twice.
        var hosts = byAgent.ToDictionary(g => g.Key, g => g.First().Hostname, StringComparer.Ordinal);
        var placed = matches
            .Where(m => m.Placement.Assignments.Count > 0 && _queue.ContainsKey(m.GroupId))
            .Select(m => (Launch: _queue[m.GroupId], Assignment: m.Placement.Assignments[0]))
            .ToList();
        var at = time.GetUtcNow();
        var launches = new List<(JobLaunch Launch, TaskSpec Task, string AgentId)>();
        if (placed.Count > 0)
        {
            foreach (var (launch, assignment) in placed)
            {
                RecordLaunch(launch, new LaunchedTask(assignment.AgentId, hosts[assignment.AgentId], at));
            }

            if (await SaveLaunchedAsync(at))
            {
                var secrets = await Security.SecretResolution.ResolveAsync(GrainFactory,
                    placed.SelectMany(p => p.Launch.Job.EnvironmentVariables ?? []).Select(v => v.Secret).OfType<string>(), reason => JobsLog.SecretsUnavailable(logger, reason));
                foreach (var (launch, assignment) in placed)
                {
                    if (_queue.Remove(launch.TaskId))
                    {
                        launches.Add((launch, JobTasks.TaskOf(launch, assignment.Resources, secrets), assignment.AgentId));
                    }
                    else
                    {
                        // Taken back meanwhile (killed, deleted): not launched.
                        ForgetLaunch(launch.TaskId);
                    }
                }
            }
            else
            {
                // Still queued, placed again on a later offer.
                foreach (var (launch, _) in placed)
                {
                    ForgetLaunch(launch.TaskId);
                }
            }
        }

        // Runs queued while this round was placed want what is left: no refusal, so the master offers it again at once
        // (a refusal would hold them back until a revive cleared it).
        var arrived = _queue.Keys.Any(id => !considered.Contains(id));
        var refuse = arrived ? TimeSpan.Zero : OfferMatching.RefuseFor(_queue.Count > 0, _options.DeclineWhileWaiting);

        // Every agent's answer is sent at once: the master takes them in turn, without a round trip between them.
        await Task.WhenAll(byAgent.Select(async agent =>
        {
            var tasks = launches.Where(l => l.AgentId == agent.Key).Select(l => l.Task).ToList();
            var offerIds = agent.Select(o => o.OfferId).ToList();
            try
            {
                if (tasks.Count == 0)
                {
                    await Framework.Decline(stream, offerIds, refuse);
                }
                else
                {
                    await Framework.Accept(stream, new AcceptCall(offerIds, [new OfferOperation(OfferOperationTypes.Launch, tasks)], refuse));
                }
            }
            catch (Exception ex) when (ex is MasterValidationException or FrameworkNotSubscribedException)
            {
                // The runs are recorded launched; the master answers their tasks with DROPPED/ERROR (or reconciliation does).
                JobsLog.OffersUnused(logger, agent.Key, ex.Message);
            }
        }));

        foreach (var (launch, task, agentId) in launches)
        {
            GrainFactory.GetGrain<IJobGrain>(launch.Job.Name).Launched(task.TaskId, agentId, hosts[agentId], at).Ignore();
        }

        if (launches.Count > 0)
        {
            JobsLog.Launched(logger, launches.Count);
        }

        if (_queue.Count == 0)
        {
            await TellDemandAsync();
        }
        else if (!arrived && _queue.Keys.Any(id => !considered.Contains(id)))
        {
            // Runs queued while the answers were sent: the refusals just sent would hold them back; a revive clears them.
            await TellDemandAsync();
        }
    }

    /// <summary>
    /// Writes the launched record (with what the jobs have recorded since taken out, and entries older than the
    /// framework's failover timeout dropped); false, logged, when the write failed.
    /// </summary>
    private async Task<bool> SaveLaunchedAsync(DateTimeOffset now)
    {
        foreach (var old in state.State.Launched.Values.SelectMany(tasks => tasks).Where(kv => now - kv.Value.At > FailoverTimeout).Select(kv => kv.Key).ToList())
        {
            ForgetLaunch(old);
        }

        try
        {
            await state.WriteStateAsync();
            return true;
        }
        catch (Exception ex)
        {
            JobsLog.LaunchesNotRecorded(logger, ex);
            return false;
        }
    }

    private LaunchedTask? LaunchRecord(string taskId) =>
        JobKeys.JobOf(taskId) is { } job && state.State.Launched.TryGetValue(job, out var tasks) ? tasks.GetValueOrDefault(taskId) : null;

    private void RecordLaunch(JobLaunch launch, LaunchedTask launched)
    {
        if (!state.State.Launched.TryGetValue(launch.Job.Name, out var tasks))
        {
            state.State.Launched[launch.Job.Name] = tasks = new(StringComparer.Ordinal);
        }

        tasks[launch.TaskId] = launched;
    }

    private void ForgetLaunch(string taskId)
    {
        if (JobKeys.JobOf(taskId) is { } job && state.State.Launched.TryGetValue(job, out var tasks) && tasks.Remove(taskId) && tasks.Count == 0)
        {
            state.State.Launched.Remove(job);
        }
    }

    private TaskRequest RequestOf(JobLaunch launch)
    {
        var job = launch.Job;
        var demand = new List<Resource> { Resource.OfScalar(Resources.Cpus, job.Cpus), Resource.OfScalar(Resources.Mem, job.Mem) };
        if (job.Disk > 0)
        {
            demand.Add(Resource.OfScalar(Resources.Disk, job.Disk));
        }

        return new TaskRequest(launch.TaskId, Resources.From(demand))
        {
            Constraints = [.. (job.Constraints ?? []).Select(JobConstraints.Create)],
            AcceptedRoles = _options.Roles,
        };
    }

    // ------------------------------------------------------------------ status updates

    private Task HandleUpdatesAsync(IReadOnlyList<TaskStatusEvent> updates) => InClusterFramework.RecordAndAcknowledgeAsync(
        Framework, _stream, updates, u => JobKeys.JobOf(u.Status.TaskId) ?? string.Empty,
        async (job, group) =>
        {
            await GrainFactory.GetGrain<IJobGrain>(job).StatusUpdates(group);

            // The job has recorded these tasks (launched, or over): no longer needed in the launched record.
            foreach (var update in group)
            {
                ForgetLaunch(update.Status.TaskId);
            }
        },
        (ex, job) => JobsLog.UpdatesNotRecorded(logger, ex, job));
}

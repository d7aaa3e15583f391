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
/// placement engine (each run its own group: resources, EQUALS/LIKE/UNLIKE constraints, roles), has each job claim its
/// task before launching it, declines the rest, and routes status updates to the jobs, acknowledging them once the job
/// recorded them. Its queue is soft state: on activation the jobs queue their runs again, and an implicit
/// reconciliation brings every task's state.
/// </summary>
internal sealed class ChronosSchedulerGrain(IOptions<JobsOptions> options, RandomSource random, ILogger<ChronosSchedulerGrain> logger) : Grain, IChronosSchedulerGrain
{
    private static readonly TimeSpan PollWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromDays(7);

    /// <summary>How often grown demand is told to the master (a revive).</summary>
    private static readonly TimeSpan DemandCheck = TimeSpan.FromMilliseconds(50);
    private readonly JobsOptions _options = options.Value;
    private readonly Dictionary<string, JobLaunch> _queue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _toReconcile = new(StringComparer.Ordinal);
    private readonly Random _random = random.Create();

    /// <summary>The agent each task of a round of offers was placed on.</summary>
    private readonly Dictionary<string, string> _agentOf = new(StringComparer.Ordinal);
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
    public Task Enqueue(JobLaunch launch)
    {
        // A burst of due runs (a cluster's cron at :00) is one revive, told by the demand timer, not one per run.
        _demandGrew |= !_queue.ContainsKey(launch.TaskId);
        _queue[launch.TaskId] = _queue.TryGetValue(launch.TaskId, out var known) ? launch with { Since = known.Since } : launch;
        return Task.CompletedTask;
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

    private async Task PumpAsync(CancellationToken cancellation)
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
                if (updates.Count > 0)
                {
                    await HandleUpdatesAsync(updates);
                }

                if (offers.Count > 0)
                {
                    await HandleOffersAsync(offers);
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
            Capabilities: ["MULTI_ROLE"]));
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

        // Each job takes its task back (recording it launched) before anything is launched; the jobs answer in parallel.
        var hosts = byAgent.ToDictionary(g => g.Key, g => g.First().Hostname, StringComparer.Ordinal);
        var placed = matches
            .Where(m => m.Placement.Assignments.Count > 0 && _queue.ContainsKey(m.GroupId))
            .Select(m => (Launch: _queue[m.GroupId], Assignment: m.Placement.Assignments[0]))
            .ToList();
        var claims = await Task.WhenAll(placed.Select(async p =>
        {
            try
            {
                return await GrainFactory.GetGrain<IJobGrain>(p.Launch.Job.Name).ClaimLaunch(p.Launch.TaskId, p.Assignment.AgentId, hosts[p.Assignment.AgentId]);
            }
            catch (Exception ex)
            {
                // Still queued: placed again on a later offer.
                JobsLog.JobCallFailed(logger, p.Launch.Job.Name, ex.Message);
                return (bool?)null;
            }
        }));
        var launches = new List<TaskSpec>();
        foreach (var ((launch, assignment), claimed) in placed.Zip(claims))
        {
            if (claimed is null)
            {
                continue;
            }

            _queue.Remove(launch.TaskId);
            if (claimed == true)
            {
                launches.Add(JobTasks.TaskOf(launch, assignment.Resources));
                _agentOf[launch.TaskId] = assignment.AgentId;
            }
        }

        var refuse = OfferMatching.RefuseFor(_queue.Count > 0, _options.DeclineWhileWaiting);
        foreach (var agent in byAgent)
        {
            var tasks = launches.Where(t => _agentOf.GetValueOrDefault(t.TaskId) == agent.Key).ToList();
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
        }

        foreach (var task in launches)
        {
            _agentOf.Remove(task.TaskId);
        }

        if (launches.Count > 0)
        {
            JobsLog.Launched(logger, launches.Count);
        }

        if (_queue.Count == 0)
        {
            await TellDemandAsync();
        }
        else if (_queue.Keys.Any(id => !considered.Contains(id)))
        {
            // Runs queued while this round was placed: the refusals just sent would hold them back; a revive clears them.
            _demandGrew = true;
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
        (job, group) => GrainFactory.GetGrain<IJobGrain>(job).StatusUpdates(group), (ex, job) => JobsLog.UpdatesNotRecorded(logger, ex, job));
}

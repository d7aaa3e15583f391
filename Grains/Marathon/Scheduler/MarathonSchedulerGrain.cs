using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Marathon.Apps;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Attributes;
using OrleansDcos.Scheduling.Balancing;
using OrleansDcos.Scheduling.Constraints;
using OrleansDcos.Scheduling.Placement;
using OrleansDcos.Scheduling.Resources;
using TaskRequest = OrleansDcos.Scheduling.Placement.TaskRequest;

namespace OrleansDcos.Grains.Marathon.Scheduler;

/// <summary>
/// Marathon as a framework of the master, in-cluster: it subscribes like any framework (partition-aware, long
/// failover timeout), long-polls its event stream from an interleaved pump, places the launch queue on each batch of
/// offers with the placement engine (constraints, ports, roles), has each app claim what it still wants before
/// launching (so a launch is recorded before it happens and never doubled), declines the rest, routes status updates
/// to the apps and acknowledges them only once the app has recorded them. Its state is soft: apps report their queue
/// and instances again when it restarts, and an implicit reconciliation brings every task's state.
/// </summary>
internal sealed partial class MarathonSchedulerGrain(IOptions<MarathonOptions> options, TimeProvider time, RandomSource random, ILogger<MarathonSchedulerGrain> logger) : Grain, IMarathonSchedulerGrain
{
    private static readonly TimeSpan PollWait = TimeSpan.FromSeconds(5);

    /// <summary>Instances queued longer than this (and not held back by a launch delay) count as launch-overdue.</summary>
    private static readonly TimeSpan LaunchOverdueAfter = TimeSpan.FromMinutes(1);
    private readonly MarathonOptions _options = options.Value;
    private readonly Dictionary<string, QueueState> _queue = new(StringComparer.Ordinal);
    private readonly Random _random = random.Create();
    private readonly Dictionary<string, string> _toReconcile = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);

    /// <summary>The fault domain of each agent seen in an offer (for @region/@zone constraints on instances placed before).</summary>
    private readonly Dictionary<string, (string? Region, string? Zone)> _faultDomains = new(StringComparer.Ordinal);
    private DateTimeOffset _activatedAt;
    private Guid? _stream;
    private long _cursor;
    private bool _suppressed;
    private DateTimeOffset _lastOffersAt;
    private IDisposable? _pump;

    private IFrameworkGrain Framework => GrainFactory.GetGrain<IFrameworkGrain>(MarathonKeys.FrameworkId);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activatedAt = Now();
        DelayDeactivation(TimeSpan.FromDays(365));
        _pump = this.RegisterGrainTimer(PumpAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = true });
        this.RegisterGrainTimer(_ => ReassertDemandAsync(), _options.ReconcileInterval, _options.ReconcileInterval);

        // Apps report their queue and instances to a new activation.
        _ = GrainFactory.GetGrain<IMarathonRootGrain>(MarathonKeys.Root).SchedulerRestarted();
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
    public Task<SchedulerMetrics> GetMetrics() => Task.FromResult(new SchedulerMetrics(
        new Dictionary<string, long>(_counters, StringComparer.Ordinal),
        _queue.Values.Sum(q => q.Entry.Count),
        _queue.Values.Where(q => q.Entry.Count > 0 && !q.Entry.DelayedAt(Now()) && Now() - q.Since > LaunchOverdueAfter).Sum(q => q.Entry.Count),
        _stream is not null,
        Now() - _activatedAt));

    private void Count(string name, long by = 1) => _counters[name] = _counters.GetValueOrDefault(name) + by;

    /// <inheritdoc />
    public Task<SchedulerStatus> GetStatus() => Task.FromResult(new SchedulerStatus(MarathonKeys.FrameworkId, _stream is not null));

    // ------------------------------------------------------------------ queue

    /// <inheritdoc />
    public async Task SetQueue(LaunchQueueEntry entry)
    {
        if (_queue.TryGetValue(entry.AppId, out var known) && known.Entry.Sequence > entry.Sequence)
        {
            return;
        }

        static int Releasing(LaunchQueueEntry? e) => e?.Reservations?.Count(r => r.Releasing) ?? 0;
        var grew = (entry.Definition is not null && entry.Count > (known?.Entry.Count ?? 0)) || Releasing(entry) > Releasing(known?.Entry);
        MarathonLog.QueueChanged(logger, entry.AppId, entry.Count, entry.Sequence, entry.Placements.Count);
        if (entry.Definition is null && entry.Placements.Count == 0 && entry.Reservations is not { Count: > 0 })
        {
            _queue.Remove(entry.AppId);
        }
        else
        {
            var queued = known ?? new QueueState(Now());
            if (known is null || known.Entry.Count == 0)
            {
                queued.Since = Now();
                queued.AttemptRejections = new Dictionary<string, int>(StringComparer.Ordinal);
                queued.AttemptOffers = 0;
            }

            queued.Entry = entry;
            _queue[entry.AppId] = queued;
        }

        await UpdateSuppressionAsync(revive: grew);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<QueueInfo>> GetQueue() => Task.FromResult<IReadOnlyList<QueueInfo>>(_queue.Values
        .Where(q => q.Entry.Count > 0)
        .Select(q => new QueueInfo(q.Entry.AppId, q.Entry.Count, q.Entry.DelayUntil, q.Since, q.ProcessedOffers, q.UnusedOffers,
            q.Rejections, q.LastReason, q.LastOffers, q.AttemptRejections, q.AttemptOffers))
        .ToList());

    /// <inheritdoc />
    public async Task Kill(IReadOnlyList<InstanceKill> kills)
    {
        if (_stream is not { } stream)
        {
            // Not subscribed yet: the app kills again when it converges after the resubscription's reconciliation.
            MarathonLog.KillsWait(logger, kills.Count);
            return;
        }

        foreach (var kill in kills)
        {
            try
            {
                await Framework.Kill(stream, kill.TaskId, kill.AgentId, kill.GracePeriod);
                Count(MarathonMetricNames.TasksKilled);
            }
            catch (FrameworkNotSubscribedException)
            {
                _stream = null;
                return;
            }
        }
    }

    /// <summary>
    /// Suppresses offers while nothing waits to launch; revives when something does, and whenever the demand grows
    /// (a revive also clears the filters of offers declined while there was nothing to launch).
    /// </summary>
    /// <inheritdoc />
    public async Task Reconcile(IReadOnlyList<InstancePlacement> tasks)
    {
        foreach (var task in tasks)
        {
            _toReconcile[task.TaskId] = task.AgentId;
        }

        await ReconcilePendingAsync();
    }

    /// <summary>Explicit reconciliation of what apps asked about (kept until a subscription can send it).</summary>
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

    private async Task UpdateSuppressionAsync(bool revive = false)
    {
        if (_stream is not { } stream)
        {
            return;
        }

        var waiting = Waiting();
        if (waiting == !_suppressed && !(waiting && revive))
        {
            return;
        }

        MarathonLog.Demand(logger, waiting ? "reviving" : "suppressing");
        await TellDemandAsync(stream, waiting);
    }

    /// <summary>Revives (when <paramref name="waiting"/>) or suppresses offers at the master.</summary>
    private async Task TellDemandAsync(Guid stream, bool waiting)
    {
        if (waiting)
        {
            await Framework.Revive(stream, null);
        }
        else
        {
            await Framework.Suppress(stream, null);
        }

        _suppressed = !waiting; // only once the master has it: a call lost with a silo is made again
    }

    /// <summary>True while some app waits for launches it may make now.</summary>
    private bool Waiting() => _queue.Values.Any(q => (q.Entry.Count > 0 && q.Entry.Definition is not null && !q.Entry.DelayedAt(Now()))
        || q.Entry.Reservations?.Any(r => r.Releasing) == true);

    /// <summary>
    /// The master's view of this framework is told again, as Marathon repeats its revives: while launches wait and no
    /// offer came for a whole interval, revive (which also clears offer filters set while nothing waited); while
    /// nothing waits, suppress. A revive or suppress lost with a dying silo, or filters left from before a failover,
    /// hold launches back for at most one interval.
    /// </summary>
    private async Task ReassertDemandAsync()
    {
        if (_stream is not { } stream)
        {
            return;
        }

        try
        {
            var waiting = Waiting();
            if (waiting && Now() - _lastOffersAt >= _options.ReconcileInterval)
            {
                MarathonLog.ReviveAfterSilence(logger, _options.ReconcileInterval);
                await TellDemandAsync(stream, waiting: true);
            }
            else if (!waiting)
            {
                await TellDemandAsync(stream, waiting: false);
            }
        }
        catch (Exception ex) when (ex is FrameworkNotSubscribedException or TimeoutException or SiloUnavailableException)
        {
            MarathonLog.DemandNotTold(logger, ex.Message);
        }
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
                    MarathonLog.StreamClosed(logger);
                    _stream = null;
                    continue;
                }

                _cursor = batch.Cursor;
                foreach (var run in Runs(batch.Events))
                {
                    if (run[0].Type == FrameworkEventTypes.Offers)
                    {
                        await HandleOffersAsync(run.SelectMany(e => e.Offers ?? []).ToList());
                    }
                    else if (run[0].Type == FrameworkEventTypes.Update)
                    {
                        await HandleUpdatesAsync(run.Select(e => e.Status!).ToList());
                    }
                }
            }
            catch (Exception ex) when (!cancellation.IsCancellationRequested)
            {
                MarathonLog.PumpFailed(logger, ex);
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

    /// <summary>Consecutive events of one type, so offers are placed together and updates are batched per app.</summary>
    private static IEnumerable<List<FrameworkEvent>> Runs(IReadOnlyList<FrameworkEvent> events)
    {
        var run = new List<FrameworkEvent>();
        foreach (var e in events)
        {
            if (run.Count > 0 && run[0].Type != e.Type)
            {
                yield return run;
                run = [];
            }

            run.Add(e);
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }

    private async Task SubscribeAsync()
    {
        var subscription = await Framework.Subscribe(new FrameworkInfo(
            Id: MarathonKeys.FrameworkId,
            Name: "marathon",
            User: "",
            Roles: _options.SubscribedRoles(),
            Principal: _options.Principal,
            FailoverTimeoutSeconds: MarathonFramework.FailoverTimeout.TotalSeconds,
            Capabilities: ["PARTITION_AWARE", "MULTI_ROLE", "GPU_RESOURCES"]));
        _stream = subscription.StreamId;
        _cursor = 0;
        _suppressed = false;
        MarathonLog.Subscribed(logger, subscription.FrameworkId);

        // Every task the master knows comes back as an update: apps learn states they missed and kill tasks they do not know.
        await Framework.Reconcile(subscription.StreamId, []);
        await ReconcilePendingAsync();
        await UpdateSuppressionAsync();
    }

    // ------------------------------------------------------------------ offers

    private async Task HandleOffersAsync(IReadOnlyList<OfferInfo> offers)
    {
        if (_stream is not { } stream || offers.Count == 0)
        {
            return;
        }

        var now = Now();
        _lastOffersAt = now;
        Count(MarathonMetricNames.OffersIncoming, offers.Count);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            MarathonLog.Offers(logger, offers.Count, offers.Select(o => o.AgentId).Distinct().Count(), _queue.Values.Count(q => q.Entry.Count > 0));
        }

        var entries = _queue.Values
            .Where(q => q.Entry is { Count: > 0, Definition: not null } && !q.Entry.DelayedAt(now))
            .OrderBy(q => q.Since)
            .ToList();
        foreach (var q in _queue.Values.Where(q => q.Entry.Count > 0))
        {
            q.ProcessedOffers += offers.Count;
        }

        foreach (var offer in offers.Where(o => o.Region is not null))
        {
            _faultDomains[offer.AgentId] = (offer.Region!, offer.Zone);
        }

        // Gather, decide (placement is a pure decision), apply. Resident apps first use (and release) their
        // reservations; no other launch is placed on dynamically reserved resources.
        var byAgent = offers.GroupBy(o => o.AgentId, StringComparer.Ordinal).ToList();
        var resident = PlanResident(byAgent, entries);
        var plain = offers.Select(o => o.Resources.Dynamic.IsEmpty ? o : o with { Resources = o.Resources.Minus(o.Resources.Dynamic) }).ToList();
        var existing = entries.Count == 0 ? [] : _queue.Values.SelectMany(q => q.Entry.Placements.Select(placement =>
        {
            var (region, zone) = _faultDomains.GetValueOrDefault(placement.AgentId);
            return new PlacedTask(q.Entry.AppId, new AgentDescriptor(placement.AgentId, placement.Host, AgentAttributes.Parse(placement.Attributes)) { Region = region, Zone = zone });
        }));
        QueuedLaunch Queued(QueueState q) => new(RequestOf(q.Entry.Definition!), Math.Max(0, q.Entry.Count - resident.Covered(q.Entry.AppId)));

        // New reservations are made only of offers for the resident role (Mesos reserves for the offer's role); the
        // other apps are placed on what is left.
        var residentEntries = entries.Where(q => q.Entry.Definition.IsResident()).ToList();
        var residentMatches = residentEntries.Count == 0 ? []
            : OfferMatching.Match(InClusterFramework.AgentsOf([.. plain.Where(o => o.Role == _options.ResidentRole)]).Agents, [.. residentEntries.Select(Queued)], existing, _random);
        var placedResident = residentMatches.SelectMany(m => m.Placement.Assignments).GroupBy(a => a.AgentId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(Resources.Empty, (sum, a) => sum.Plus(a.Resources)), StringComparer.Ordinal);
        var agents = InClusterFramework.AgentsOf(plain).Agents
            .Select(a => placedResident.TryGetValue(a.Agent.AgentId, out var used) ? a with { Available = a.Available.Minus(used) } : a).ToList();
        var matches = residentMatches.Concat(OfferMatching.Match(agents, [.. entries.Except(residentEntries).Select(Queued)], existing, _random)).ToList();
        var proposals = new Dictionary<string, List<(InstanceRecord Record, AppDefinition App)>>(StringComparer.Ordinal);
        foreach (var (appId, relaunches) in resident.Relaunches.Where(r => r.Value.Count > 0))
        {
            proposals[appId] = [.. relaunches.Select(r => (r, _queue[appId].Entry.Definition!))];
        }

        foreach (var match in matches)
        {
            var q = _queue[match.GroupId];
            var app = q.Entry.Definition!;
            q.Rejections = match.Placement.Unplaced > 0 ? match.Placement.Rejections.Counts.ToDictionary() : new Dictionary<string, int>();
            q.LastReason = match.Problem;
            q.LastOffers = match.OfferedAgents;
            q.AttemptOffers += match.OfferedAgents;
            foreach (var (reason, count) in q.Rejections)
            {
                q.AttemptRejections[reason] = q.AttemptRejections.GetValueOrDefault(reason) + count;
            }
            if (match.Placement.Unplaced > 0)
            {
                q.UnusedOffers += offers.Count;
            }

            var placed = match.Placement.Assignments.Select(assignment =>
            {
                var offer = byAgent.First(g => g.Key == assignment.AgentId).First();
                return (app.IsResident() ? NewResidentInstance(app, assignment, offer, resident) : NewInstance(app, assignment, offer), app);
            });
            proposals[match.GroupId] = [.. proposals.GetValueOrDefault(match.GroupId) ?? [], .. placed];
        }

        // Each app takes what it still wants (recording it durably) before anything is launched.
        var claims = await Task.WhenAll(proposals.Where(p => p.Value.Count > 0).Select(async p =>
        {
            try
            {
                var taken = await GrainFactory.GetGrain<IAppGrain>(p.Key).ClaimLaunches(p.Value.Select(v => v.Record).ToList(), resident.Proposed.GetValueOrDefault(p.Key));
                return (App: p.Value[0].App, Taken: taken);
            }
            catch (Exception ex)
            {
                MarathonLog.ClaimFailed(logger, ex, p.Key);
                return (App: p.Value[0].App, Taken: (IReadOnlyList<InstanceRecord>)[]);
            }
        }));

        var launches = claims.SelectMany(c => c.Taken.Select(t => (Record: t, c.App))).ToList();
        foreach (var claim in claims)
        {
            if (_queue.TryGetValue(claim.App.Id, out var q))
            {
                q.Entry = q.Entry with
                {
                    Count = Math.Max(0, q.Entry.Count - claim.Taken.Count),
                    Placements = [.. q.Entry.Placements, .. claim.Taken.Select(InstancePlacement.Of)],
                };
            }
        }

        var refuse = OfferMatching.RefuseFor(_queue.Values.Any(q => q.Entry.Count > 0), _options.DeclineWhileWaiting);
        foreach (var agent in byAgent)
        {
            var here = launches.Where(l => l.Record.AgentId == agent.Key).ToList();
            var secrets = await SecretsOfAsync(here.Select(l => l.App));
            var tasks = here.Where(l => l.App.Pod is null).Select(l => TaskOf(l.Record, l.App, _options.LoadBalancerDrain, secrets)).ToList();
            var groups = here.Where(l => l.App.Pod is not null).Select(l => new OfferOperation(OfferOperationTypes.LaunchGroup, PodTasks.Of(l.Record, l.App))).ToList();
            var conversions = ConversionsOf(agent.Key, here.Select(l => l.Record), resident);
            var offerIds = agent.Select(o => o.OfferId).ToList();
            try
            {
                if (tasks.Count == 0 && groups.Count == 0 && conversions.Count == 0)
                {
                    await Framework.Decline(stream, offerIds, refuse);
                    Count(MarathonMetricNames.OffersDeclined, offerIds.Count);
                }
                else
                {
                    var problem = await Framework.Accept(stream, new AcceptCall(offerIds, [.. conversions, .. tasks.Count > 0 ? [new OfferOperation(OfferOperationTypes.Launch, tasks)] : Array.Empty<OfferOperation>(), .. groups], refuse));
                    Count(MarathonMetricNames.OffersUsed, offerIds.Count);
                    Count(MarathonMetricNames.TasksLaunched, tasks.Count + groups.Sum(g => g.Tasks.Count));
                    if (problem is null)
                    {
                        await ReportReleasedAsync(agent.Key, resident);
                    }
                    else if (conversions.Count > 0)
                    {
                        MarathonLog.OffersUnused(logger, agent.Key, problem);
                    }
                }
            }
            catch (Exception ex) when (ex is MasterValidationException or FrameworkNotSubscribedException)
            {
                // The tasks are recorded STAGING; the master answers them with DROPPED/ERROR (or reconciliation does).
                MarathonLog.OffersUnused(logger, agent.Key, ex.Message);
            }
        }

        if (launches.Count > 0)
        {
            MarathonLog.Launched(logger, launches.Count, launches.Select(l => l.Record.AgentId).Distinct().Count());
        }

        await UpdateSuppressionAsync();
    }

    private TaskRequest RequestOf(AppDefinition app)
    {
        var demand = new List<Resource> { Resource.OfScalar(Resources.Cpus, app.Cpus), Resource.OfScalar(Resources.Mem, app.Mem) };
        var disk = app.Disk + app.PersistentVolumes().Sum(v => v.Persistent!.Size); // a resident app reserves its volumes' disk too
        if (disk > 0)
        {
            demand.Add(Resource.OfScalar(Resources.Disk, disk));
        }

        if (app.Gpus > 0)
        {
            demand.Add(Resource.OfScalar(Resources.Gpus, app.Gpus));
        }

        return new TaskRequest(app.Id, Resources.From(demand))
        {
            PortCount = app.RequirePorts ? 0 : app.PortDefinitions.Count,
            RequiredPorts = app.RequirePorts ? app.PortDefinitions.Select(p => (ulong)p.Port).ToList() : [],
            Constraints = app.Constraints.Select(c => Constraint.Create(c[0], c[1], c.Count > 2 ? c[2] : null)).ToList(),
            AcceptedRoles = app.IsResident() ? [Resource.AnyRole] : app.AcceptedResourceRoles ?? _options.Roles, // reservations are made of unreserved resources
            AvoidGpuAgents = app.Gpus == 0 && _options.GpuSchedulingBehavior == "restricted",
        };
    }

    private InstanceRecord NewInstance(AppDefinition app, Assignment assignment, OfferInfo offer)
    {
        var ports = assignment.Resources.PortNumbers().ToList();
        if (app.RequirePorts)
        {
            ports = app.PortDefinitions.Select(p => p.Port).ToList();
        }

        var role = assignment.Resources.Roles.FirstOrDefault(r => r != Resource.AnyRole) ?? Resource.AnyRole;
        return new InstanceRecord(
            TaskId: app.Pod is null ? MarathonKeys.NewTaskId(app.Id) : MarathonKeys.NewInstanceId(app.Id),
            AppId: app.Id,
            AgentId: assignment.AgentId,
            Host: offer.Hostname,
            Ports: ports,
            ServicePorts: app.PortDefinitions.Select(p => p.Port).ToList(),
            Version: app.Version ?? string.Empty,
            ConfigVersion: AppVersions.ConfigVersion(app),
            StagedAt: MarathonKeys.Timestamp(time.GetUtcNow()),
            StartedAt: null,
            State: TaskState.TASK_STAGING,
            Healthy: null,
            Killing: false,
            Attributes: offer.Attributes,
            Resources: assignment.Resources,
            Role: role,
            HostIp: offer.Address,
            Region: offer.Region,
            Zone: offer.Zone,
            Containers: app.Pod?.Containers.ToDictionary(c => c.Name, _ => new PodContainerState(TaskState.TASK_STAGING), StringComparer.Ordinal));
    }

    /// <summary>
    /// The Mesos task of an instance: command or Docker image, environment, fetch, health check, kill grace, labels; a
    /// load-balanced app's task drains for <paramref name="drain"/> before its kill signal.
    /// </summary>
    public static TaskSpec TaskOf(InstanceRecord instance, AppDefinition app, TimeSpan drain, IReadOnlyDictionary<string, string>? secretValues = null)
    {
        // Variables taken from secrets go apart (the agent never writes them down); a secret gone since the deploy is named.
        var (fromSecrets, missing) = Security.SecretResolution.Split(
            app.Env.Select(kv => (kv.Key, Secret: EnvJsonConverter.SecretNameOf(kv.Value)))
                .Where(v => v.Secret is not null)
                .Select(v => KeyValuePair.Create(v.Key, app.Secrets?.GetValueOrDefault(v.Secret!) ?? v.Secret!)),
            secretValues);
        var env = new Dictionary<string, string>(app.Env.Where(kv => EnvJsonConverter.SecretNameOf(kv.Value) is null), StringComparer.Ordinal)
        {
            ["MARATHON_APP_ID"] = app.Id,
            ["MARATHON_APP_VERSION"] = app.Version ?? string.Empty,
            ["MESOS_TASK_ID"] = instance.TaskId,
        };
        for (var i = 0; i < app.PortDefinitions.Count && i < instance.Ports.Count; i++)
        {
            if (app.PortDefinitions[i].Name is { } name)
            {
                env[$"PORT_{name.ToUpperInvariant().Replace('-', '_')}"] = instance.Ports[i].ToString(CultureInfo.InvariantCulture);
            }
        }

        var uris = app.Fetch.Select(f => new UriSpec(f.Uri, f.Extract, f.Executable, f.Cache, f.DestPath)).ToList();
        var command = new CommandSpec(
            Value: app.Cmd,
            Shell: app.Cmd is not null,
            Arguments: app.Cmd is null ? app.Args : null,
            Environment: env,
            Uris: uris,
            User: app.User);
        var docker = app.Container?.Docker is { } d
            ? new DockerSpec(d.Image, d.ForcePullImage, app.Container.Volumes.Where(v => v.HostPath is not null).Select(v => new VolumeSpec(v.HostPath!, v.ContainerPath, v.Mode)).ToList())
            : null;
        var check = app.HealthChecks.FirstOrDefault() is { } h
            ? new HealthCheckSpecDto(
                Protocol: h.Protocol.Replace("MESOS_", string.Empty, StringComparison.Ordinal),
                PortIndex: h.PortIndex,
                Port: h.Port,
                Path: h.Path,
                Command: h.Command?.Value,
                GracePeriodSeconds: h.GracePeriodSeconds,
                IntervalSeconds: h.IntervalSeconds,
                TimeoutSeconds: h.TimeoutSeconds,
                MaxConsecutiveFailures: h.MaxConsecutiveFailures,
                // delaySeconds is Mesos' delay before the first check, so it holds for the MESOS_ protocols only;
                // Marathon's own checks start at once and count failures only after the grace period.
                DelaySeconds: h.Protocol.StartsWith("MESOS_", StringComparison.Ordinal) ? h.DelaySeconds : 0,
                KillOnFailure: false)
            : null;
        return new TaskSpec(instance.TaskId, MarathonKeys.TaskNameOf(app.Id), MarathonKeys.FrameworkId, instance.Role, instance.Resources,
            Command: command, Docker: docker, HealthCheck: check, KillGracePeriodSeconds: app.TaskKillGracePeriodSeconds,
            Labels: app.Labels.Count > 0 ? app.Labels : null,
            Discovery: new DiscoverySpec(
                [.. instance.Ports.Select((port, i) => i < app.PortDefinitions.Count
                    ? new DiscoveryPortSpec(port, app.PortDefinitions[i].Name, app.PortDefinitions[i].Protocol)
                    : new DiscoveryPortSpec(port))],
                HealthChecked: check is not null),
            ShutdownDelaySeconds: HaproxyConfig.Labelled(app.Labels) && drain > TimeSpan.Zero ? drain.TotalSeconds : null,
            Secrets: fromSecrets,
            MissingSecrets: missing);
    }

    /// <summary>The values of the secrets <paramref name="apps"/> refer to (none when none do; the missing are left out).</summary>
    private Task<IReadOnlyDictionary<string, string>?> SecretsOfAsync(IEnumerable<AppDefinition> apps) =>
        Security.SecretResolution.ResolveAsync(GrainFactory, apps.SelectMany(a => a.Secrets?.Values ?? []), reason => MarathonLog.SecretsUnavailable(logger, reason));

    // ------------------------------------------------------------------ status updates

    private async Task HandleUpdatesAsync(IReadOnlyList<TaskStatusEvent> updates)
    {
        // Counted as they arrive (before the apps hear them: a metric never lags what the apps show).
        foreach (var update in updates)
        {
            Count(MarathonMetricNames.TaskUpdate(update.Status.State));
        }

        // One call per app for the whole batch (its state is written once), then one acknowledgement call for what it took.
        try
        {
            await InClusterFramework.RecordAndAcknowledgeAsync(
                Framework, _stream, updates, u => MarathonKeys.AppIdOf(u.Status.TaskId) ?? string.Empty,
                (app, group) => GrainFactory.GetGrain<IAppGrain>(app).StatusUpdates(group), (ex, app) => MarathonLog.UpdatesNotRecorded(logger, ex, app));
        }
        catch (Exception ex) when (ex is not FrameworkNotSubscribedException)
        {
            MarathonLog.AcknowledgementsFailed(logger, ex, updates.Count);
        }

        foreach (var update in updates.Where(u => u.Status.State.IsTerminal()))
        {
            if (MarathonKeys.AppIdOf(update.Status.TaskId) is { } app && _queue.TryGetValue(app, out var q))
            {
                var instance = MarathonKeys.InstanceOf(update.Status.TaskId) ?? update.Status.TaskId;
                q.Entry = q.Entry with { Placements = q.Entry.Placements.Where(p => p.TaskId != instance).ToList() };
            }
        }
    }

    private DateTimeOffset Now() => time.GetUtcNow();

    private sealed class QueueState(DateTimeOffset since)
    {
        public LaunchQueueEntry Entry { get; set; } = new(string.Empty, 0, null, 0, null, []);

        public DateTimeOffset Since { get; set; } = since;

        public int ProcessedOffers { get; set; }

        public int UnusedOffers { get; set; }

        public IReadOnlyDictionary<string, int> Rejections { get; set; } = new Dictionary<string, int>();

        public string? LastReason { get; set; }

        /// <summary>Offers (agents) in the last round it was matched in.</summary>
        public int LastOffers { get; set; }

        /// <summary>Rejections summed over the rounds since its launches started waiting (Marathon's launch attempt).</summary>
        public Dictionary<string, int> AttemptRejections { get; set; } = new(StringComparer.Ordinal);

        /// <summary>Offers (agents) over those rounds.</summary>
        public int AttemptOffers { get; set; }
    }
}

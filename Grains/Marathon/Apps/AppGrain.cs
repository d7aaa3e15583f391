using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Deployment;

namespace OrleansDcos.Grains.Marathon.Apps;

/// <summary>
/// One Marathon app: definition and versions, durable instance records, and the convergence loop. After every change
/// (a deployment action, a status update, a kill) it asks <see cref="RollingUpdate"/> what to do: launches go to the
/// scheduler's queue (one-way; the scheduler claims them back through <see cref="ClaimLaunches"/> before launching,
/// so nothing is launched twice), kills go to the master. Failed instances are replaced after a backoff that grows on
/// FAILED/FINISHED/ERROR and on kills for failed health checks, and resets on a new version or a healthy run; instances whose health check gave up are killed within a rate
/// limit; unreachable ones are replaced after the unreachable strategy's inactive time and forgotten after its expunge time.
/// </summary>
internal sealed class AppGrain(
    [PersistentState("app")] IPersistentState<AppGrainState> state,
    IOptions<MarathonOptions> options,
    TimeProvider time,
    MarathonHttpClients http,
    ILogger<AppGrain> logger) : Grain, IAppGrain
{
    private const int KeptVersions = 50;
    private readonly MarathonOptions _options = options.Value;
    private readonly KillRateLimit _healthKills = new(options.Value.UnhealthyKillWindow);
    private readonly HashSet<string> _healthKillPending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unhealthyKilled = new(StringComparer.Ordinal);
    private readonly List<MarathonEvent> _events = [];
    private readonly Dictionary<string, DateTimeOffset> _lastStaleReconcile = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _killSentAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReadinessResult> _readiness = new(StringComparer.Ordinal);
    private readonly ReadinessProbe _readinessProbe = new(http.Readiness);
    private IDisposable? _readinessTimer;
    private IDisposable? _reconcile;
    private int _pending;
    private bool _dirty;
    private bool _terminated;
    private long _sequence;
    private IDisposable? _watch;
    private AppCounts? _reportedCounts;
    private long _countsSequence = time.GetUtcNow().UtcTicks;

    private string AppId => this.GetPrimaryKeyString();

    private AppGrainState S => state.State;

    private IMarathonSchedulerGrain Scheduler => GrainFactory.GetGrain<IMarathonSchedulerGrain>(MarathonKeys.Scheduler);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Applied is not null || S.Instances.Count > 0)
        {
            // Something runs here: stay active so failures are replaced without waiting for a call.
            DelayDeactivation(TimeSpan.FromDays(365));
            EnsureReconcile();
            Converge(force: true);
        }

        return SaveAsync();
    }

    /// <summary>
    /// What this app tells others one-way — its launch queue to the scheduler, its counts to the root — is told again
    /// every <see cref="MarathonOptions.ReconcileInterval"/> while it has launches to make or an action to finish,
    /// from its own durable state: a message lost or reordered with a dying silo delays work by one interval, and
    /// never strands a launch nobody owns. (Kills and reconciliations have their own resends; the root resends actions.)
    /// </summary>
    private void EnsureReconcile() =>
        _reconcile ??= this.RegisterGrainTimer(_ => ReconcileAsync(), _options.ReconcileInterval, _options.ReconcileInterval);

    private Task ReconcileAsync()
    {
        if (S.Applied is null && S.Instances.Count == 0 && S.DeploymentId is null)
        {
            _reconcile?.Dispose();
            _reconcile = null;
            return Task.CompletedTask;
        }

        if (_pending > 0 || S.DeploymentId is not null || S.Instances.Values.Any(i => i.Killing || i.State is TaskState.TASK_STAGING or TaskState.TASK_STARTING))
        {
            _reportedCounts = null;
            Converge(force: true);
        }

        return SaveAsync();
    }

    // ------------------------------------------------------------------ definition and deployment actions

    /// <inheritdoc />
    public async Task SetDefinition(AppDefinition? definition)
    {
        S.Definition = definition;
        if (definition is not null && (S.Versions.Count == 0 || S.Versions[0].Version != definition.Version))
        {
            S.Versions.Insert(0, definition);
            if (S.Versions.Count > KeptVersions)
            {
                S.Versions.RemoveRange(KeptVersions, S.Versions.Count - KeptVersions);
            }
        }

        _dirty = true;
        await SaveAsync();
    }

    /// <inheritdoc />
    public async Task RunAction(string deploymentId, string action)
    {
        MarathonLog.AppAction(logger, AppId, action, deploymentId);
        DelayDeactivation(TimeSpan.FromDays(365));
        EnsureReconcile();
        var previousConfig = AppVersions.ConfigVersion(S.Applied);
        S.DeploymentId = deploymentId;
        S.DeploymentAction = action;
        S.Applied = action switch
        {
            DeploymentActions.Stop => null,
            DeploymentActions.Start => S.Definition is { } d ? d with { Instances = 0 } : null,
            _ => S.Definition,
        };
        if (S.Applied is not null && AppVersions.ConfigVersion(S.Applied) != previousConfig)
        {
            // A new version starts without the old one's launch delay.
            S.Failures = 0;
            S.LaunchDelayUntil = null;
        }

        _dirty = true;
        Converge();
        await SaveAsync();
    }

    /// <inheritdoc />
    public Task<AppDefinition?> GetDefinition() => Task.FromResult(S.Definition);

    /// <inheritdoc />
    public Task<AppView> GetView() => Task.FromResult(new AppView(S.Definition, Counts()));

    /// <inheritdoc />
    public Task<IReadOnlyList<ReadinessCheckResult>> GetReadiness()
    {
        var target = S.Applied;
        var check = target?.ReadinessChecks.FirstOrDefault();
        var config = AppVersions.ConfigVersion(target);
        IReadOnlyList<ReadinessCheckResult> results = check is null ? [] : S.Instances.Values
            .Where(i => i.ConfigVersion == config && i.State == TaskState.TASK_RUNNING)
            .OrderBy(i => i.StagedAt, StringComparer.Ordinal)
            .Select(i => _readiness.TryGetValue(i.TaskId, out var r)
                ? new ReadinessCheckResult(check.Name, i.TaskId, r.Ready, r.LastResponse, r.Message)
                : new ReadinessCheckResult(check.Name, i.TaskId, false, null, IsHealthy(i, target) ? "not checked yet" : "waiting for the task to be healthy"))
            .ToList();
        return Task.FromResult(results);
    }

    /// <inheritdoc />
    public Task<string> GetBlockedBy(string deploymentId, string? placementProblem) => Task.FromResult(S.DeploymentId == deploymentId
        ? DeploymentWait.Explain(WaitFacts(), placementProblem) ?? "done; the deployment moves on once it hears so"
        : "the app has not taken this action, or its report that it is done is on its way (actions are sent again every 10 s)");

    /// <summary>What the instances are, as the deployment action waits on them.</summary>
    private WaitFacts WaitFacts()
    {
        var target = S.Applied;
        var config = AppVersions.ConfigVersion(target);
        int ready = 0, starting = 0, notHealthy = 0, notReady = 0, old = 0, killing = 0, unreachable = 0;
        foreach (var instance in S.Instances.Values)
        {
            if (instance.Killing)
            {
                killing++;
            }
            else if (instance.State == TaskState.TASK_UNREACHABLE)
            {
                unreachable++;
            }
            else if (instance.ConfigVersion != config)
            {
                old++;
            }
            else if (instance.State is TaskState.TASK_STAGING or TaskState.TASK_STARTING)
            {
                starting++;
            }
            else if (!IsHealthy(instance, target))
            {
                notHealthy++;
            }
            else if (!IsReady(instance, target))
            {
                notReady++;
            }
            else
            {
                ready++;
            }
        }

        return new WaitFacts(target?.Instances ?? 0, ready, starting, notHealthy, notReady, old, killing, unreachable, _pending, LaunchDelayLeft(Now()));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetVersions() =>
        Task.FromResult<IReadOnlyList<string>>(S.Definition is null ? [] : S.Versions.Select(v => v.Version!).ToList());

    /// <inheritdoc />
    public Task<AppDefinition?> GetVersion(string version) =>
        Task.FromResult(S.Definition is null ? null : S.Versions.FirstOrDefault(v => v.Version == version));

    /// <inheritdoc />
    public Task<AppStatus> GetStatus() => Task.FromResult(new AppStatus(
        S.Definition,
        S.Instances.Values.OrderBy(i => i.StagedAt, StringComparer.Ordinal).ToList(),
        S.DeploymentId,
        S.LastTaskFailure,
        S.LaunchDelayUntil));

    // ------------------------------------------------------------------ launches and updates

    /// <inheritdoc />
    public async Task<IReadOnlyList<InstanceRecord>> ClaimLaunches(IReadOnlyList<InstanceRecord> proposed)
    {
        var target = S.Applied;
        var config = AppVersions.ConfigVersion(target);
        List<InstanceRecord> taken = target is null || LaunchDelayLeft(Now()) > TimeSpan.Zero ? [] : proposed.Where(p => p.ConfigVersion == config).Take(_pending).ToList();
        foreach (var instance in taken)
        {
            S.Instances[instance.TaskId] = instance;
        }

        _pending -= taken.Count;
        _dirty |= taken.Count > 0;
        if (taken.Count < proposed.Count)
        {
            // The scheduler's queue asked for more than this app wants (it missed a change): it hears the truth now.
            Converge(force: true);
        }

        await SaveAsync();
        return taken;
    }

    /// <inheritdoc />
    public async Task StatusUpdates(IReadOnlyList<TaskStatusEvent> updates)
    {
        var unknown = new List<InstanceKill>();
        foreach (var (agentId, update, _) in updates)
        {
            if (!S.Instances.TryGetValue(update.TaskId, out var instance))
            {
                if (!update.State.IsTerminal())
                {
                    // A task this app does not know (launched before a lost write, or by an older incarnation): it goes.
                    unknown.Add(new InstanceKill(update.TaskId, agentId, null));
                }

                continue;
            }

            Apply(instance, update);
        }

        if (unknown.Count > 0)
        {
            MarathonLog.AppUnknownTasks(logger, AppId, unknown.Count, unknown.Select(u => u.TaskId));
            _ = Scheduler.Kill(unknown);
        }

        _dirty = true;
        Converge();
        await SaveAsync();
    }

    private void Apply(InstanceRecord instance, TaskStatusUpdate update)
    {
        var now = Now();
        _events.AddRange(AppStatusEvents.Of(AppId, instance, update, Now()));
        if (update.State.IsTerminal())
        {
            S.Instances.Remove(instance.TaskId);
            S.UnreachableTimes.Remove(instance.TaskId);
            _lastStaleReconcile.Remove(instance.TaskId);
            _killSentAt.Remove(instance.TaskId);
            _readiness.Remove(instance.TaskId);
            var failed = (update.State is TaskState.TASK_FAILED or TaskState.TASK_FINISHED or TaskState.TASK_ERROR && !instance.Killing)
                | _unhealthyKilled.Remove(instance.TaskId);
            if (failed)
            {
                S.Failures++;
                var delay = Math.Min(
                    (S.Applied?.BackoffSeconds ?? 1) * Math.Pow(S.Applied?.BackoffFactor ?? 1.15, S.Failures - 1),
                    S.Applied?.MaxLaunchDelaySeconds ?? 300);
                S.LaunchDelayUntil = now + MesosDurations.FromSeconds(delay)!.Value;
                S.LastTaskFailure = new TaskFailureInfo(AppId, instance.Host, update.Message ?? update.Reason ?? string.Empty, update.State.ToString(),
                    instance.TaskId, MarathonKeys.Timestamp(DateTimeOffset.FromUnixTimeMilliseconds((long)(update.Timestamp * 1000))), instance.Version, instance.AgentId);
                MarathonLog.AppTaskFailed(logger, AppId, instance.TaskId, update.State, update.Message, delay);
            }

            return;
        }

        var next = instance with
        {
            State = update.State,
            Healthy = update.Healthy ?? instance.Healthy,
            StartedAt = instance.StartedAt ?? (update.State == TaskState.TASK_RUNNING ? MarathonKeys.Timestamp(time.GetUtcNow()) : null),
        };
        S.Instances[instance.TaskId] = next;
        if (update.State == TaskState.TASK_UNREACHABLE)
        {
            S.UnreachableTimes.TryAdd(instance.TaskId, now);
        }
        else
        {
            S.UnreachableTimes.Remove(instance.TaskId);
        }

        if (next.State == TaskState.TASK_RUNNING && next.Healthy == true && S.Failures > 0)
        {
            // A healthy run ends the backoff.
            S.Failures = 0;
            S.LaunchDelayUntil = null;
        }

        if (update.Reason == TaskReasons.Unhealthy && update.State == TaskState.TASK_RUNNING && !next.Killing)
        {
            // The health check gave up: killed, within the rate limit (the watch retries the rest).
            TryKillUnhealthy(next);
        }
    }

    private bool TryKillUnhealthy(InstanceRecord instance)
    {
        var now = Now();
        var allowed = KillRateLimit.Allowed(S.Applied?.Instances ?? 1, _options.UnhealthyKillFraction);
        if (!_healthKills.TryTake(now, allowed))
        {
            if (!_healthKillPending.Add(instance.TaskId))
            {
                return false;
            }

            MarathonLog.AppUnhealthyKillDeferred(logger, AppId, instance.TaskId, _healthKills.Recent(now), _options.UnhealthyKillWindow, allowed);
            EnsureWatch();
            return false;
        }

        _healthKillPending.Remove(instance.TaskId);
        _unhealthyKilled.Add(instance.TaskId);
        Kill([instance], "its health check failed too often");
        _events.Add(AppStatusEvents.UnhealthyKill(AppId, instance, now));
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InstanceRecord>> KillInstances(IReadOnlyList<string> taskIds, bool scale)
    {
        var victims = taskIds.Select(id => S.Instances.GetValueOrDefault(id)).OfType<InstanceRecord>().Where(i => !i.Killing).ToList();
        if (victims.Count == 0)
        {
            return [];
        }

        if (scale && S.Applied is { } applied && S.Definition is { } definition)
        {
            // A new version (a scale: the configuration version stays), shown by the root at once.
            var instances = Math.Max(0, definition.Instances - victims.Count);
            var version = MarathonKeys.Timestamp(time.GetUtcNow());
            S.Definition = definition with
            {
                Instances = instances,
                Version = version,
                VersionInfo = new VersionInfo(version, AppVersions.ConfigVersion(definition)),
            };
            S.Applied = applied with { Instances = instances };
            S.Versions.Insert(0, S.Definition);
            _ = GrainFactory.GetGrain<IMarathonRootGrain>(MarathonKeys.Root).AppScaled(S.Definition);
        }

        Kill(victims, "killed by the operator");
        Converge();
        await SaveAsync();
        return victims;
    }

    /// <inheritdoc />
    public Task ResetDelay()
    {
        S.Failures = 0;
        S.LaunchDelayUntil = null;
        _dirty = true;
        Converge();
        return SaveAsync();
    }

    /// <inheritdoc />
    public Task Resync()
    {
        _sequence = 0;
        Converge(force: true);
        var killing = S.Instances.Values.Where(i => i.Killing).ToList();
        if (killing.Count > 0)
        {
            SendKills(killing); // the scheduler that had them may have died with them
        }

        // A new scheduler may have died between recording a launch and sending it: ask the master about every
        // instance (one it does not know comes back UNKNOWN, is dropped and replaced).
        if (S.Instances.Count > 0)
        {
            _ = Scheduler.Reconcile(S.Instances.Values.Select(InstancePlacement.Of).ToList());
        }

        return SaveAsync();
    }

    // ------------------------------------------------------------------ convergence

    private LaunchQueueEntry? _lastQueue;

    private void Converge(bool force = false)
    {
        var target = S.Applied;
        var config = AppVersions.ConfigVersion(target);
        var now = Now();
        var live = new List<RollingInstance>();
        var expunge = new List<InstanceRecord>();
        if (target is null)
        {
            // The app is stopped: every instance is killed (and those on unreachable agents forgotten, just below).
            _pending = 0;
            Kill(S.Instances.Values.Where(i => !i.Killing).ToList(), "the app is stopped");
        }

        foreach (var instance in S.Instances.Values)
        {
            if (instance.Killing && instance.State == TaskState.TASK_UNREACHABLE)
            {
                // Killed, and its agent cannot be reached: forgotten now, as Marathon expunges a killed unreachable
                // instance (if its agent comes back, the task is unknown there and killed).
                expunge.Add(instance);
                continue;
            }

            if (S.UnreachableTimes.TryGetValue(instance.TaskId, out var since) && instance.State == TaskState.TASK_UNREACHABLE)
            {
                var strategy = target?.UnreachableStrategy;
                if (strategy is not null && (now - since).TotalSeconds >= strategy.ExpungeAfterSeconds)
                {
                    expunge.Add(instance);
                    continue;
                }

                if (strategy is not null && (now - since).TotalSeconds >= strategy.InactiveAfterSeconds)
                {
                    continue; // inactive: a replacement may launch; it stays recorded until expunged
                }
            }

            var current = instance.ConfigVersion == config;
            live.Add(new RollingInstance(
                instance.TaskId,
                current,
                IsHealthy(instance, target) && (!current || IsReady(instance, target)),
                Started(instance),
                instance.Killing));
        }

        foreach (var gone in expunge)
        {
            // Forgotten: if its agent comes back, the task is unknown and killed.
            S.Instances.Remove(gone.TaskId);
            S.UnreachableTimes.Remove(gone.TaskId);
        }

        if (target is null)
        {
            if (S.Instances.Count == 0)
            {
                Finish();
            }
        }
        else
        {
            var decision = RollingUpdate.Decide(target.Instances, target.UpgradeStrategy.MinimumHealthCapacity, target.UpgradeStrategy.MaximumOverCapacity,
                live, _pending, target.KillSelection == KillSelections.OldestFirst);
            MarathonLog.AppConverge(logger, AppId, live.Count, _pending, target.Instances, decision.Launch, decision.Kill.Count, decision.Done);
            Kill(decision.Kill.Select(id => S.Instances[id]).ToList(), "replaced or scaled down");
            _pending += decision.Launch;
            if (decision.Done)
            {
                Finish();
            }
        }

        _dirty |= expunge.Count > 0;

        var entry = new LaunchQueueEntry(AppId, NextSequence(), target, _pending, S.LaunchDelayUntil,
            S.Instances.Values.Select(InstancePlacement.Of).ToList());
        if (force || _lastQueue is null || entry.Count != _lastQueue.Count || entry.DelayUntil != _lastQueue.DelayUntil
            || !ReferenceEquals(entry.Definition, _lastQueue.Definition) || entry.Placements.Count != _lastQueue.Placements.Count)
        {
            _lastQueue = entry;
            _ = Scheduler.SetQueue(entry);
        }

        // A launch that never reported (its scheduler died between recording and sending it, or the master lost it)
        // is reconciled: the master answers UNKNOWN for a task it does not know, and the instance is replaced.
        var stale = S.Instances.Values.Where(i => i.State == TaskState.TASK_STAGING
            && now - Started(i) > _options.TaskLaunchReconcileAfter
            && now - _lastStaleReconcile.GetValueOrDefault(i.TaskId, DateTimeOffset.UnixEpoch) > _options.TaskLaunchReconcileAfter).ToList();
        if (stale.Count > 0)
        {
            foreach (var instance in stale)
            {
                _lastStaleReconcile[instance.TaskId] = now;
            }

            MarathonLog.AppStaleLaunches(logger, AppId, stale.Count);
            _ = Scheduler.Reconcile(stale.Select(InstancePlacement.Of).ToList());
        }

        if (S.UnreachableTimes.Count > 0 || S.Instances.Values.Any(i => i.State == TaskState.TASK_STAGING || i.Killing))
        {
            EnsureWatch();
        }

        if (target is { ReadinessChecks.Count: > 0 } && S.Instances.Values.Any(i => i.ConfigVersion == config && !IsReady(i, target)))
        {
            _readinessTimer ??= this.RegisterGrainTimer(_ => CheckReadinessAsync(), TimeSpan.Zero,
                TimeSpan.FromSeconds(target.ReadinessChecks[0].IntervalSeconds));
        }
    }

    private void Finish()
    {
        if (S.DeploymentId is { } deployment)
        {
            S.DeploymentId = null;
            S.DeploymentAction = null;
            _dirty = true;
            MarathonLog.AppActionDone(logger, AppId, deployment);
            _ = GrainFactory.GetGrain<IMarathonRootGrain>(MarathonKeys.Root).ActionDone(deployment, AppId);
        }

        if (S.Definition is null && S.Applied is null && S.Instances.Count == 0)
        {
            // Removed and empty: nothing to keep running for.
            if (!_terminated)
            {
                _terminated = true;
                _events.Add(MarathonEvent.Of(time.GetUtcNow(), MarathonEventStream.AppTerminated, new JsonObject { ["appId"] = AppId }));
            }

            _watch?.Dispose();
            _watch = null;
            DeactivateOnIdle();
        }
    }

    private void Kill(IReadOnlyList<InstanceRecord> victims, string why)
    {
        if (victims.Count == 0)
        {
            return;
        }

        foreach (var victim in victims)
        {
            S.Instances[victim.TaskId] = victim with { Killing = true };
        }

        MarathonLog.AppKilling(logger, AppId, victims.Count, why);
        _dirty = true;
        SendKills(victims);
        EnsureWatch();
    }

    /// <summary>Sends kills (one-way); each is sent again while its task lives on (a kill can be lost with a silo).</summary>
    private void SendKills(IReadOnlyList<InstanceRecord> victims)
    {
        var now = Now();
        foreach (var victim in victims)
        {
            _killSentAt[victim.TaskId] = now;
        }

        _ = Scheduler.Kill(victims.Select(v => new InstanceKill(v.TaskId, v.AgentId, MesosDurations.FromSeconds(S.Applied?.TaskKillGracePeriodSeconds ?? S.Definition?.TaskKillGracePeriodSeconds))).ToList());
    }

    /// <summary>A timer while something waits on time (unreachable instances, rate-limited kills of unhealthy ones).</summary>
    private void EnsureWatch() =>
        _watch ??= this.RegisterGrainTimer(_ =>
        {
            Tick();
            return SaveAsync();
        }, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

    private void Tick()
    {
        foreach (var id in _healthKillPending.ToList())
        {
            if (!S.Instances.TryGetValue(id, out var instance) || instance.Killing || instance.Healthy != false)
            {
                _healthKillPending.Remove(id);
            }
            else if (!TryKillUnhealthy(instance))
            {
                break;
            }
        }

        var now = Now();
        var unanswered = S.Instances.Values.Where(i => i.Killing && now - _killSentAt.GetValueOrDefault(i.TaskId, DateTimeOffset.UnixEpoch) > _options.KillRetryAfter).ToList();
        if (unanswered.Count > 0)
        {
            MarathonLog.AppKillingAgain(logger, AppId, unanswered.Count);
            SendKills(unanswered);
        }

        Converge();
        if (S.UnreachableTimes.Count == 0 && _healthKillPending.Count == 0
            && !S.Instances.Values.Any(i => i.State == TaskState.TASK_STAGING || i.Killing))
        {
            _watch?.Dispose();
            _watch = null;
        }
    }

    // ------------------------------------------------------------------ readiness

    /// <summary>Ready: the app has no readiness check, or its check answered with a ready status since the task started.</summary>
    private bool IsReady(InstanceRecord instance, AppDefinition? target) =>
        target is null || target.ReadinessChecks.Count == 0 || (_readiness.TryGetValue(instance.TaskId, out var result) && result.Ready);

    /// <summary>
    /// Runs the app's readiness check against its healthy, not yet ready instances of the applied version (HTTP GET
    /// from the silo to the task's host and named port, as Marathon does); a ready answer lets a deployment count the
    /// instance. Stops once every such instance is ready.
    /// </summary>
    private async Task CheckReadinessAsync()
    {
        var target = S.Applied;
        var config = AppVersions.ConfigVersion(target);
        var check = target?.ReadinessChecks.FirstOrDefault();
        var pending = check is null ? [] : S.Instances.Values
            .Where(i => i.ConfigVersion == config && IsHealthy(i, target) && !IsReady(i, target))
            .ToList();
        if (check is null || (pending.Count == 0 && !S.Instances.Values.Any(i => i.ConfigVersion == config && !IsReady(i, target))))
        {
            _readinessTimer?.Dispose();
            _readinessTimer = null;
            return;
        }

        var portIndex = target!.PortDefinitions.ToList().FindIndex(p => p.Name == check.PortName);
        var results = await Task.WhenAll(pending.Select(i => _readinessProbe.ProbeAsync(i, check, portIndex)));
        var becameReady = false;
        foreach (var (taskId, result) in pending.Select(i => i.TaskId).Zip(results))
        {
            becameReady |= result.Ready;
            _readiness[taskId] = result;
        }

        if (becameReady)
        {
            Converge();
            await SaveAsync();
        }
    }

    private static bool IsHealthy(InstanceRecord instance, AppDefinition? target) =>
        instance.State == TaskState.TASK_RUNNING && !instance.Killing
        && (instance.Healthy == true || (instance.Healthy is null && (target is null || target.HealthChecks.Count == 0)));

    /// <summary>When an instance was staged (the epoch when its record holds no readable time).</summary>
    private static DateTimeOffset Started(InstanceRecord instance) =>
        DateTimeOffset.TryParse(instance.StagedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : DateTimeOffset.UnixEpoch;

    /// <summary>How long the launch backoff still holds launches back.</summary>
    private TimeSpan LaunchDelayLeft(DateTimeOffset now) => S.LaunchDelayUntil is { } until && until > now ? until - now : TimeSpan.Zero;


    /// <summary>
    /// Writes the state once per turn when something changed (writes of one activation never overlap), then publishes
    /// the turn's events on the event bus (in order: the appends of one stream are queued as they are called).
    /// </summary>
    private async Task SaveAsync()
    {
        if (_dirty)
        {
            _dirty = false;
            await state.WriteStateAsync();
        }

        var counts = Counts();
        if (!counts.SameAs(_reportedCounts))
        {
            // The root lists every app with these counts (GET /v2/apps asks it alone, not every app).
            _reportedCounts = counts;
            _ = GrainFactory.GetGrain<IMarathonRootGrain>(MarathonKeys.Root).CountsChanged(AppId, counts);
        }

        if (_events.Count > 0)
        {
            var events = _events.ToList();
            _events.Clear();
            var stream = this.GetStreamProvider(MarathonEventStream.ProviderName).GetStream<MarathonEvent>(DcosStreams.MarathonEvents);
            await Task.WhenAll(events.Select(e => stream.OnNextAsync(e)));
        }
    }

    private AppCounts Counts() => AppCounts.Of(S.Definition, S.Instances.Values, ++_countsSequence);

    private long NextSequence() => _sequence = Math.Max(_sequence + 1, time.GetUtcNow().UtcTicks);

    private DateTimeOffset Now() => time.GetUtcNow();
}

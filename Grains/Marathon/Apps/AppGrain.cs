using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
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
internal sealed partial class AppGrain(
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
    private LaunchQueueEntry? _lastQueue;
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
        var previousChecks = S.Applied?.HealthChecks ?? [];
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

        _events.AddRange(AppStatusEvents.HealthChecksChanged(AppId, previousChecks, S.Applied, Now()));

        _dirty = true;
        Converge();
        await SaveAsync();
    }

    /// <inheritdoc />
    public Task<AppDefinition?> GetDefinition() => Task.FromResult(S.Definition);

    /// <inheritdoc />
    public Task<AppView> GetView() => Task.FromResult(new AppView(S.Definition, Counts()));

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

    // ------------------------------------------------------------------ shared

    private static bool IsHealthy(InstanceRecord instance, AppDefinition? target) =>
        instance.State == TaskState.TASK_RUNNING && !instance.Killing
        && (instance.Healthy == true || (instance.Healthy is null && (target is null
            || (target.HealthChecks.Count == 0 && target.Pod?.Containers.Any(c => c.HealthCheck is not null) != true))));

    /// <summary>When an instance was staged (the epoch when its record holds no readable time).</summary>
    private static DateTimeOffset Started(InstanceRecord instance) => MarathonKeys.ParseTimestamp(instance.StagedAt) ?? DateTimeOffset.UnixEpoch;

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
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                // What happened to the instances happened: kept in memory and written with the next save (the
                // reconcile timer saves again), never dropped.
                _dirty = true;
                throw;
            }
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

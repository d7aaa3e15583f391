using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using OrleansDcos.Grains.Concurrency;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Allocation;
using OrleansDcos.Scheduling.Time;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// One framework, as Mesos' master keeps it: the subscription (a new one replaces the old stream), the event
/// queue its stream polls, outstanding offers, ACCEPT with validation (invalid offers DROP the tasks, invalid tasks
/// are ERROR), kills, acknowledgements, reconciliation, and the failover timeout (a reminder, so it survives the
/// silo) after which the framework is torn down and its tasks killed. Status updates of frameworks that are not
/// partition-aware are translated as Mesos does (UNREACHABLE, GONE, DROPPED and UNKNOWN become LOST).
/// </summary>
internal sealed partial class FrameworkGrain(
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
    public Task<string?> GetPrincipal() => Task.FromResult(state.State.Info?.Principal);

    /// <inheritdoc />
    public async Task<Subscription> Subscribe(FrameworkInfo info)
    {
        if (state.State.Removed)
        {
            throw new FrameworkNotSubscribedException($"framework '{FrameworkId}' has been removed (torn down or failed over too late)");
        }

        info = Validate(info with { Id = FrameworkId });
        var previous = state.State.Info;
        if (previous?.Principal is { Length: > 0 } owner && info.Principal != owner)
        {
            throw new FrameworkNotSubscribedException($"framework '{FrameworkId}' belongs to principal '{owner}': another principal may not subscribe as it");
        }

        if (previous is not null && !previous.EffectiveRoles.Order(StringComparer.Ordinal).SequenceEqual(info.EffectiveRoles.Order(StringComparer.Ordinal), StringComparer.Ordinal)
            && !(info.Capabilities ?? []).Contains("MULTI_ROLE"))
        {
            throw new MasterValidationException($"framework '{FrameworkId}' subscribed with roles [{string.Join(", ", previous.EffectiveRoles)}]; only a MULTI_ROLE framework may change its roles");
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

        await Allocator.AddFramework(FrameworkId, info.EffectiveRoles, active: true, _suppressed, info.GpuAware);

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

    // ------------------------------------------------------------------ operators

    /// <inheritdoc />
    public Task Remove() => state.State.Info is null || state.State.Removed ? Task.CompletedTask : RemoveAsync("torn down by the operator");

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

    // ------------------------------------------------------------------ internals

    /// <summary>Now as Mesos stamps statuses: unix seconds.</summary>
    private double Timestamp() => UnixTime.Seconds(time.GetUtcNow());

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
            if (!RoleNames.IsValid(role))
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

}

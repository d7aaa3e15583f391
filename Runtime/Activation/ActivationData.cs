using Microsoft.Extensions.DependencyInjection;
using OrleansDcos.Runtime.Hosting;

namespace OrleansDcos.Runtime.Activation;

/// <summary>
/// One activation of one grain: its instance, its inbox, and the rules of who may run.
/// <list type="bullet">
/// <item>Activating → Valid → Deactivating → Invalid; requests that arrive while activating or
/// deactivating wait, and those left when it becomes Invalid go to the next activation.</item>
/// <item>A request runs at once when nothing that blocks runs (a running [AlwaysInterleave] request does not
/// block), or when it may interleave (reentrant class, [AlwaysInterleave], or [ReadOnly] among read-only
/// requests); otherwise it waits in order —
/// unless its call chain already passes through this grain, which would wait forever: it fails at
/// once with <see cref="DeadlockException"/>.</item>
/// <item>All turns run on the activation's <see cref="ActivationScheduler"/>.</item>
/// </list>
/// </summary>
internal sealed partial class ActivationData : IGrainContext
{
    private enum Phase
    {
        Activating,
        Valid,
        Deactivating,
        Invalid,
    }

    private readonly Catalog _catalog;
    private readonly CallChain _ownChain;
    private readonly Func<object?, Task> _runRequest;
    private readonly Func<object?, Task> _runWork;
    private Queue<object>? _waiting;
    private List<GrainRequest>? _running;
    private List<GrainTimer>? _timers;
    private Phase _phase = Phase.Activating;
    private int _runningCount;
    private int _blocking;
    private int _blockingWriters;
    private DeactivationReason? _pendingDeactivation;
    private long _keepAliveUntilMs;
    private Grain? _grain;

    public ActivationData(Catalog catalog, GrainId id, GrainClassInfo grainClass)
    {
        _catalog = catalog;
        Id = id;
        Class = grainClass;
        _ownChain = new CallChain(id, null);
        _runRequest = state => RunRequestAsync((GrainRequest)state!);
        _runWork = state => RunWorkAsync((IActivationWork)state!);
        Scheduler.Owner = this;
        LastActivityMs = Environment.TickCount64;
    }

    public GrainId Id { get; }

    /// <summary>Distinguishes this activation from earlier and later ones of the same grain (directory entries).</summary>
    public string ActivationId { get; } = Guid.NewGuid().ToString("N");

    public GrainClassInfo Class { get; }

    public ActivationScheduler Scheduler { get; } = new();

    /// <summary>The chain of work that starts inside this activation (activation, timers, reminders).</summary>
    public CallChain OwnChain => _ownChain;

    public long LastActivityMs { get; private set; }

    public IGrainFactory GrainFactory => _catalog.GrainFactory;

    public IServiceProvider Services => _catalog.Services;

    /// <summary>The activation whose turn is running on this thread, or null outside grains.</summary>
    public static ActivationData? Current => (TaskScheduler.Current as ActivationScheduler)?.Owner;

    /// <summary>True until the activation is gone.</summary>
    public bool IsAlive
    {
        get
        {
            lock (this)
            {
                return _phase != Phase.Invalid;
            }
        }
    }

    /// <summary>Begins activating (once, by the catalog that won the race to create it).</summary>
    public void Start() => Scheduler.Run(static state => ((ActivationData)state!).ActivateAsync(), this);

    /// <summary>Takes a request; false when the activation is gone (the caller then finds or makes the next one).</summary>
    public bool TryEnqueue(GrainRequest request)
    {
        Exception? refusal = null;
        lock (this)
        {
            if (_phase == Phase.Invalid)
            {
                return false;
            }

            if (_phase == Phase.Valid && _pendingDeactivation is null && CanRun(request))
            {
                Begin(request);
                return true;
            }

            if (IsDeadlock(request))
            {
                refusal = Deadlock(request);
            }
            else if (_waiting is { } queue && queue.Count >= _catalog.Options.MaxEnqueuedRequests)
            {
                refusal = new GrainOverloadedException($"{Id} has {queue.Count} requests waiting ({GrainRuntimeOptions.SectionName}:MaxEnqueuedRequests); {request.Method.Method.Name} was not queued");
            }
            else
            {
                (_waiting ??= new Queue<object>()).Enqueue(request);
            }
        }

        if (refusal is not null)
        {
            request.Fail(refusal);
        }

        return true;
    }

    /// <summary>Queues work that is not a request (a timer tick, a stream event) as a turn (it waits while the activation still activates); refused (false) when the activation is going away.</summary>
    public bool EnqueueWork(IActivationWork work)
    {
        lock (this)
        {
            if (_phase is Phase.Deactivating or Phase.Invalid || _pendingDeactivation is not null)
            {
                work.Skipped();
                return false;
            }

            // Still activating (a timer registered in OnActivateAsync that fires at once): it waits like a request.
            if (_phase == Phase.Valid && (_blocking == 0 || Class.Reentrant || work.Interleave))
            {
                BeginWork(work);
            }
            else
            {
                (_waiting ??= new Queue<object>()).Enqueue(work);
            }

            return true;
        }
    }

    // ------------------------------------------------------------------ turns

    /// <summary>
    /// As in Orleans, only requests that do not interleave block others: while an [AlwaysInterleave] request
    /// awaits (a long poll), ordinary requests still run, one at a time.
    /// </summary>
    private bool CanRun(GrainRequest request) =>
        _blocking == 0
        || Class.Reentrant
        || request.Method.AlwaysInterleave
        || (request.Method.ReadOnly && _blockingWriters == 0);

    /// <summary>The request cannot run now and its chain passes through this grain: it would wait on itself (a one-way call waits on nothing: it queues).</summary>
    private bool IsDeadlock(GrainRequest request) =>
        request.CallChain is { } chain && chain.Contains(Id) && !Class.Reentrant && !request.Method.AlwaysInterleave && !request.Method.OneWay;

    private DeadlockException Deadlock(GrainRequest request) =>
        new($"deadlock: {request.CallChain} → {Id}.{request.Method.Method.Name}: {Id} is busy with a request that cannot interleave (mark the class [Reentrant] or the method [AlwaysInterleave] if this call is safe)");

    /// <summary>Counts and schedules a request (under the lock).</summary>
    private void Begin(GrainRequest request)
    {
        _runningCount++;
        Block(request, +1);
        (_running ??= []).Add(request);
        Scheduler.Run(_runRequest, request);
    }

    private void BeginWork(IActivationWork work)
    {
        _runningCount++;
        Block(work, +1);
        Scheduler.Run(_runWork, work);
    }

    /// <summary>Counts a request that blocks others (not [AlwaysInterleave]) and, unless read-only, blocks readers too.</summary>
    private void Block(GrainRequest request, int delta)
    {
        if (!request.Method.AlwaysInterleave)
        {
            _blocking += delta;
            if (!request.Method.ReadOnly)
            {
                _blockingWriters += delta;
            }
        }
    }

    /// <summary>Counts a work turn that blocks others (not interleaving).</summary>
    private void Block(IActivationWork work, int delta)
    {
        if (!work.Interleave)
        {
            _blocking += delta;
            _blockingWriters += delta;
        }
    }

    private async Task RunWorkAsync(IActivationWork work)
    {
        RuntimeContext.CurrentChain = _ownChain;
        await work.RunAsync();
        WorkCompleted(work);
    }

    private async Task RunRequestAsync(GrainRequest request)
    {
        RuntimeContext.CurrentChain = request.CallChain is null ? _ownChain : new CallChain(Id, request.CallChain);
        await request.ExecuteAsync(_grain!);
        List<object>? refused = null;
        lock (this)
        {
            _runningCount--;
            Block(request, -1);
            _running!.Remove(request);
            LastActivityMs = Environment.TickCount64;
            if (request.Exception is InconsistentStateException stale)
            {
                _pendingDeactivation ??= new DeactivationReason(DeactivationReasonCode.InconsistentState, stale.Message);
            }

            refused = AfterTurn();
        }

        FailAll(refused);
    }

    /// <summary>A work turn ended.</summary>
    private void WorkCompleted(IActivationWork work)
    {
        List<object>? refused;
        lock (this)
        {
            _runningCount--;
            Block(work, -1);
            refused = AfterTurn();
        }

        FailAll(refused);
    }

    /// <summary>After a turn (under the lock): deactivate if asked and idle, else start what may run now.</summary>
    private List<object>? AfterTurn()
    {
        if (_phase != Phase.Valid)
        {
            return null;
        }

        if (_pendingDeactivation is not null)
        {
            if (_runningCount == 0)
            {
                BeginDeactivation();
            }

            return null;
        }

        return Pump();
    }

    /// <summary>Starts waiting items in order while they may run; fails deadlocked ones (under the lock).</summary>
    private List<object>? Pump()
    {
        List<object>? refused = null;
        while (_waiting is { Count: > 0 } && _pendingDeactivation is null)
        {
            var next = _waiting.Peek();
            if (next is IActivationWork work)
            {
                if (_blocking != 0 && !Class.Reentrant && !work.Interleave)
                {
                    break;
                }

                _waiting.Dequeue();
                BeginWork(work);
                continue;
            }

            var request = (GrainRequest)next;
            if (CanRun(request))
            {
                _waiting.Dequeue();
                Begin(request);
            }
            else if (IsDeadlock(request))
            {
                _waiting.Dequeue();
                (refused ??= []).Add(request);
            }
            else
            {
                break;
            }
        }

        return refused;
    }

    private void FailAll(List<object>? refused)
    {
        foreach (var item in refused ?? [])
        {
            if (item is GrainRequest request)
            {
                request.Fail(Deadlock(request));
            }
        }
    }

    // ------------------------------------------------------------------ activation

    private async Task ActivateAsync()
    {
        RuntimeContext.CurrentChain = _ownChain;
        try
        {
            // Single activation: register before any grain code runs; a loser never runs it and sends its calls on.
            if (_catalog.Router is { } router && await router.RegisterAsync(Id, ActivationId) is { } winner)
            {
                foreach (var request in Retire(unregister: false))
                {
                    router.Forward(request, Class, winner);
                }

                return;
            }

            var (grain, states) = Class.Create(Services, Id, _catalog.Json);
            grain.Context = this;
            using var timeout = new CancellationTokenSource(_catalog.Options.ActivationTimeout);
            foreach (var state in states)
            {
                await state.ReadStateAsync(timeout.Token);
            }

            await grain.OnActivateAsync(timeout.Token);
            _grain = grain;
            List<object>? refused;
            lock (this)
            {
                _phase = Phase.Valid;
                refused = AfterTurn();
            }

            FailAll(refused);
        }
        catch (Exception ex)
        {
            Log.ActivationFailed(_catalog.Logger, ex, Id);
            foreach (var request in Retire())
            {
                request.Fail(ex);
            }
        }
    }

    // ------------------------------------------------------------------ deactivation

    /// <summary>Asks the activation to go away once it is idle.</summary>
    public void RequestDeactivation(DeactivationReason reason)
    {
        GrainTimer[] timers;
        lock (this)
        {
            if (_phase is Phase.Deactivating or Phase.Invalid)
            {
                return;
            }

            _pendingDeactivation ??= reason;
            timers = _timers?.ToArray() ?? [];
            if (_phase == Phase.Valid && _runningCount == 0)
            {
                BeginDeactivation();
            }
        }

        // As in Orleans, timers stop as soon as deactivation is asked for: a tick still running (an interleaved loop)
        // sees its token cancelled and ends, so the activation becomes idle and goes.
        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    /// <summary>Under the lock, with nothing running.</summary>
    private void BeginDeactivation()
    {
        _phase = Phase.Deactivating;
        Scheduler.Run(static state => ((ActivationData)state!).DeactivateAsync(), this);
    }

    private async Task DeactivateAsync()
    {
        RuntimeContext.CurrentChain = _ownChain;
        foreach (var timer in _timers?.ToArray() ?? [])
        {
            timer.Dispose();
        }

        try
        {
            using var timeout = new CancellationTokenSource(_catalog.Options.ActivationTimeout);
            await _grain!.OnDeactivateAsync(_pendingDeactivation!, timeout.Token);
        }
        catch (Exception ex)
        {
            Log.DeactivationFailed(_catalog.Logger, ex, Id);
        }

        foreach (var request in Retire())
        {
            _catalog.Send(request);
        }
    }

    /// <summary>
    /// Marks the activation gone and takes it out of the catalog; returns the requests that were still
    /// waiting (for the caller to fail or send on) and tells waiting work it was skipped.
    /// </summary>
    private List<GrainRequest> Retire(bool unregister = true)
    {
        Queue<object>? waiting;
        lock (this)
        {
            _phase = Phase.Invalid;
            waiting = _waiting;
            _waiting = null;
        }

        _catalog.Remove(this);
        if (unregister)
        {
            _catalog.Router?.Unregister(Id, ActivationId);
        }

        var requests = new List<GrainRequest>();
        foreach (var item in waiting ?? new Queue<object>())
        {
            if (item is GrainRequest request)
            {
                requests.Add(request);
            }
            else
            {
                ((IActivationWork)item).Skipped();
            }
        }

        return requests;
    }

    // ------------------------------------------------------------------ maintenance

    /// <summary>Fails requests past their deadline (waiting ones are dropped; running ones keep running,
    /// their callers get the timeout) and starts idle collection.</summary>
    public void Sweep(long nowMs, long collectionAgeMs)
    {
        List<GrainRequest>? expired = null;
        lock (this)
        {
            if (_waiting is { Count: > 0 } && _waiting.Any(i => i is GrainRequest r && r.DeadlineMs <= nowMs))
            {
                var keep = new Queue<object>(_waiting.Count);
                foreach (var item in _waiting)
                {
                    if (item is GrainRequest r && r.DeadlineMs <= nowMs)
                    {
                        (expired ??= []).Add(r);
                    }
                    else
                    {
                        keep.Enqueue(item);
                    }
                }

                _waiting = keep;
            }

            foreach (var request in _running ?? [])
            {
                if (request.DeadlineMs <= nowMs && !request.IsCompleted)
                {
                    (expired ??= []).Add(request);
                }
            }

            if (_phase == Phase.Valid && _runningCount == 0 && _waiting is not { Count: > 0 } && _pendingDeactivation is null
                && nowMs - LastActivityMs >= collectionAgeMs && nowMs >= _keepAliveUntilMs)
            {
                _pendingDeactivation = new DeactivationReason(DeactivationReasonCode.IdleCollection, $"idle for {(nowMs - LastActivityMs) / 1000} s");
                BeginDeactivation();
            }
        }

        foreach (var request in expired ?? [])
        {
            request.Fail(new TimeoutException($"{request.Target}.{request.Method.Method.Name} did not answer within {_catalog.Options.ResponseTimeout.TotalSeconds:0.###} s; its outcome is unknown"));
        }
    }

    // ------------------------------------------------------------------ IGrainContext

    public void DeactivateOnIdle() => RequestDeactivation(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle"));

    public void DelayDeactivation(TimeSpan period)
    {
        lock (this)
        {
            _keepAliveUntilMs = Math.Max(_keepAliveUntilMs, Environment.TickCount64 + (long)period.TotalMilliseconds);
        }
    }

    public IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, bool interleave)
    {
        var timer = new GrainTimer(this, callback, interleave, _catalog.Logger);
        lock (this)
        {
            (_timers ??= []).Add(timer);
        }

        timer.Start(_catalog.Time, dueTime, period);
        return timer;
    }

    public void TimerDisposed(GrainTimer timer)
    {
        lock (this)
        {
            _timers?.Remove(timer);
        }
    }

    public Task<IGrainReminder> RegisterOrUpdateReminder(string name, TimeSpan dueTime, TimeSpan period) =>
        _catalog.Reminders.RegisterOrUpdateAsync(Id, Class, name, dueTime, period);

    public Task UnregisterReminder(IGrainReminder reminder) => _catalog.Reminders.UnregisterAsync(Id, reminder.ReminderName);

    public Task<IGrainReminder?> GetReminder(string name) => _catalog.Reminders.GetAsync(Id, name);

    public IStreamProvider GetStreamProvider(string name) =>
        Services.GetKeyedService<IStreamProvider>(name) ?? throw new KeyNotFoundException($"no stream provider named '{name}' is registered");
}

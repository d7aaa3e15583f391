namespace OrleansDcos.Runtime;

/// <summary>
/// Base class of grain implementations. The runtime creates one activation per grain id, on its
/// first call; requests run one turn at a time (code between awaits never runs in parallel) unless
/// the class is <see cref="ReentrantAttribute"/> or a method allows interleaving. State comes from
/// constructor parameters marked <see cref="PersistentStateAttribute"/>; other constructor
/// parameters are resolved from the silo's services. The grain's identity is available from
/// <see cref="OnActivateAsync"/> on (not in the constructor).
/// </summary>
public abstract class Grain
{
    private IGrainContext? _context;

    internal IGrainContext Context
    {
        get => _context ?? throw new InvalidOperationException("the grain is not activated yet: use its identity from OnActivateAsync on");
        set => _context = value;
    }

    /// <summary>This grain's id.</summary>
    public GrainId GrainId => Context.Id;

    /// <summary>The key of a string-keyed grain.</summary>
    public string GetPrimaryKeyString() => GrainId.Key;

    /// <summary>The key of a Guid-keyed grain.</summary>
    public Guid GetPrimaryKey() => Guid.ParseExact(GrainId.Key, "N");

    /// <summary>References to other grains.</summary>
    protected IGrainFactory GrainFactory => Context.GrainFactory;

    /// <summary>The silo's services.</summary>
    protected IServiceProvider ServiceProvider => Context.Services;

    /// <summary>Called after the state is loaded and before the first request runs.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called when the activation goes away (idle, requested, stale state, shutdown); not called if the silo crashes.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation once the current requests finish; the next call makes a new one.</summary>
    protected void DeactivateOnIdle() => Context.DeactivateOnIdle();

    /// <summary>Keeps this activation from idle collection for at least <paramref name="period"/>.</summary>
    protected void DelayDeactivation(TimeSpan period) => Context.DelayDeactivation(period);

    /// <summary>
    /// A timer whose ticks run as turns of this activation (never in parallel with a request, unless
    /// <paramref name="interleave"/>). It dies with the activation; use a reminder for durable ticks.
    /// A zero or infinite period ticks once.
    /// </summary>
    protected IDisposable RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, bool interleave = false) =>
        Context.RegisterTimer(callback, dueTime, period, interleave);

    /// <summary>Creates or updates a durable reminder: it ticks at due + N × period and reactivates the grain (which must implement <see cref="IRemindable"/>).</summary>
    protected Task<IGrainReminder> RegisterOrUpdateReminder(string name, TimeSpan dueTime, TimeSpan period) =>
        Context.RegisterOrUpdateReminder(name, dueTime, period);

    /// <summary>Removes a reminder.</summary>
    protected Task UnregisterReminder(IGrainReminder reminder) => Context.UnregisterReminder(reminder);

    /// <summary>The reminder named <paramref name="name"/>, or null.</summary>
    protected Task<IGrainReminder?> GetReminder(string name) => Context.GetReminder(name);

    /// <summary>The stream provider named <paramref name="name"/>; a subscription made from a grain delivers as turns of its activation.</summary>
    protected IStreamProvider GetStreamProvider(string name) => Context.GetStreamProvider(name);
}

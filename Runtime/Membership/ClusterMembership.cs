namespace OrleansDcos.Runtime.Membership;

/// <summary>
/// This silo's view of the cluster: its own address, the latest snapshot of the table, and whether it
/// may serve (it stops for good when fenced: declared dead, or out of touch with the table past its lease).
/// </summary>
public sealed class ClusterMembership
{
    private volatile MembershipSnapshot _current = MembershipSnapshot.Empty;
    private volatile string? _fencedBecause;
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SiloAddress? _self;

    /// <summary>Completes when this silo has joined as Active.</summary>
    public Task Joined => _joined.Task;

    /// <summary>This silo, once it has joined (null before).</summary>
    public SiloAddress? Self => _self;

    /// <summary>The latest snapshot this silo read.</summary>
    public MembershipSnapshot Current => _current;

    /// <summary>True once joined as Active and until fenced.</summary>
    public bool IsAdmitting => _self is not null && _fencedBecause is null && _current.Find(_self.Value)?.Status == SiloStatus.Active;

    /// <summary>Why this silo stopped serving, or null.</summary>
    public string? FencedBecause => _fencedBecause;

    /// <summary>Raised after each newer snapshot.</summary>
    public event Action<MembershipSnapshot>? Changed;

    /// <summary>The silos that are Active in the current view.</summary>
    public IReadOnlyList<SiloAddress> ActiveSilos => _current.ActiveSilos;

    internal void SetSelf(SiloAddress self) => _self = self;

    internal void Publish(MembershipSnapshot snapshot)
    {
        if (snapshot.Version < _current.Version)
        {
            return; // versions only move forward; an older read loses
        }

        _current = snapshot;
        if (_self is { } self && snapshot.Find(self)?.Status == SiloStatus.Active)
        {
            _joined.TrySetResult();
        }

        Changed?.Invoke(snapshot);
    }

    internal bool Fence(string reason)
    {
        if (_fencedBecause is not null)
        {
            return false;
        }

        _fencedBecause = reason;
        return true;
    }
}

/// <summary>What a silo does when it must stop serving at once (Orleans: fail fast). The test cluster stops just that silo.</summary>
public interface IFatalErrorHandler
{
    /// <summary>Called once, with the reason.</summary>
    void OnFatalError(string reason);
}

/// <summary>
/// Whether this silo's network is cut (test clusters partition silos this way): when cut, its silo and
/// gateway endpoints drop every request, its outgoing probes fail and its open silo links are dropped.
/// </summary>
public sealed class SiloNetwork
{
    private readonly Lock _lock = new();
    private CancellationTokenSource _cut = new();
    private bool _partitioned;
    private bool _killed;

    /// <summary>True while partitioned.</summary>
    public bool Partitioned
    {
        get => Volatile.Read(ref _partitioned);
        set => Set(ref _partitioned, value);
    }

    /// <summary>True once killed: it must write nothing more anywhere.</summary>
    public bool Killed
    {
        get => Volatile.Read(ref _killed);
        set => Set(ref _killed, value);
    }

    /// <summary>Cancelled when the network is cut; open connections register on it to drop themselves.</summary>
    public CancellationToken Cut
    {
        get
        {
            lock (_lock)
            {
                return _cut.Token;
            }
        }
    }

    private void Set(ref bool flag, bool value)
    {
        lock (_lock)
        {
            flag = value;
            if (_partitioned || _killed)
            {
                _cut.Cancel();
            }
            else if (_cut.IsCancellationRequested)
            {
                _cut = new CancellationTokenSource(); // healed: new connections live again
            }
        }
    }
}

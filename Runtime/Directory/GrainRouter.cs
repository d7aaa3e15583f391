using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Runtime.Membership;
using OrleansDcos.Runtime.Messaging;
using OrleansDcos.Runtime.Placement;

namespace OrleansDcos.Runtime.Directory;

/// <summary>
/// Routes grain calls in a cluster: to the local activation when there is one; else to the silo the
/// directory names (cached; the cache forgets entries on forward replies and on silo deaths); else to a
/// silo chosen by the class's placement, which activates the grain. Registers new activations before
/// any grain code runs: a loser retires and sends its waiting calls to the winner. When a silo is
/// declared dead, calls pending to it fail at once and its directory entries are removed.
/// </summary>
internal sealed partial class GrainRouter : IDisposable
{
    private const int MaxForwards = 3;
    private readonly Catalog _catalog;
    private readonly IGrainDirectory _directory;
    private readonly ClusterMembership _membership;
    private readonly IMembershipTable _table;
    private readonly SiloMessenger _messenger;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<GrainId, SiloAddress> _cache = new();
    private readonly HashSet<SiloAddress> _knownDead = [];
    private readonly Random _random = new();

    public GrainRouter(Catalog catalog, IGrainDirectory directory, ClusterMembership membership, IMembershipTable table, SiloMessenger messenger, ILogger<GrainRouter> logger)
    {
        _table = table;
        _catalog = catalog;
        _directory = directory;
        _membership = membership;
        _messenger = messenger;
        _logger = logger;
        _membership.Changed += OnMembershipChanged;
    }

    private SiloAddress Self => _membership.Self ?? throw new SiloUnavailableException("this silo has not joined the cluster yet");

    public void Route(GrainRequest request, GrainClassInfo grainClass)
    {
        if (!_catalog.TryDeliverLocal(request))
        {
            _ = RouteAsync(request, grainClass, hops: 0);
        }
    }

    /// <summary>Sends a request to the silo that won the registration of its grain.</summary>
    public void Forward(GrainRequest request, GrainClassInfo grainClass, SiloAddress winner)
    {
        _cache[request.Target] = winner;
        _ = RouteAsync(request, grainClass, hops: 1);
    }

    /// <summary>Registers a new activation; returns the winner's silo when another activation holds the grain, null when this one won.</summary>
    public async Task<SiloAddress?> RegisterAsync(GrainId grain, string activationId)
    {
        var self = Self;
        var winner = await _directory.RegisterAsync(new DirectoryEntry(grain, self, activationId), holder => IsStaleAsync(holder, self));
        if (winner.ActivationId == activationId)
        {
            _cache[grain] = self;
            return null;
        }

        _cache[grain] = winner.Silo;
        return winner.Silo;
    }

    public void Unregister(GrainId grain, string activationId)
    {
        _cache.TryRemove(grain, out _);
        if (_membership.Self is { } self)
        {
            _ = UnregisterAsync(new DirectoryEntry(grain, self, activationId));
        }
    }

    /// <summary>Handles a call from another silo: local, or "it lives there", or activate here.</summary>
    public async Task<SiloAddress?> AcceptAsync(GrainRequest request, GrainClassInfo grainClass, bool placed)
    {
        if (placed)
        {
            _catalog.DispatchLocal(request, grainClass); // the sender chose this silo for a new activation
            return null;
        }

        if (_catalog.TryDeliverLocal(request))
        {
            return null;
        }

        var entry = await _directory.LookupAsync(request.Target);
        if (entry is not null && entry.Silo != Self && !IsDead(entry.Silo))
        {
            return entry.Silo;
        }

        _catalog.DispatchLocal(request, grainClass);
        return null;
    }

    public void Dispose() => _membership.Changed -= OnMembershipChanged;

    private async Task RouteAsync(GrainRequest request, GrainClassInfo grainClass, int hops)
    {
        try
        {
            if (!_membership.Joined.IsCompleted)
            {
                // Calls made while the silo starts wait for it to join, within their deadline.
                await _membership.Joined.WaitAsync(TimeSpan.FromMilliseconds(Math.Max(1, request.DeadlineMs - Environment.TickCount64)));
            }

            while (true)
            {
                var self = Self;
                var placed = false;
                if (!_cache.TryGetValue(request.Target, out var target) || IsDead(target))
                {
                    var entry = await _directory.LookupAsync(request.Target);
                    if (entry is not null && !IsDead(entry.Silo))
                    {
                        target = entry.Silo;
                    }
                    else
                    {
                        target = PlacementDirector.Choose(grainClass.ClassType, request.Target, self, _membership.ActiveSilos, Load, _random);
                        placed = true;
                    }

                    _cache[request.Target] = target;
                }

                if (target == self)
                {
                    _catalog.DispatchLocal(request, grainClass);
                    return;
                }

                var forward = await _messenger.SendAsync(target, request, placed);
                if (forward is null)
                {
                    return;
                }

                _cache[request.Target] = forward.Value;
                if (++hops > MaxForwards)
                {
                    request.Fail(new SiloUnavailableException($"{request.Target} was forwarded {MaxForwards} times without reaching its activation"));
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            request.Fail(ex);
        }
    }

    /// <summary>
    /// Whether a directory entry may be replaced: it is this silo's own earlier activation (gone: the one
    /// registering is the only live one here), or its silo is dead. A silo this view does not know may be
    /// newer than the view, so the table decides — a live activation must never be replaced.
    /// </summary>
    private async Task<bool> IsStaleAsync(DirectoryEntry holder, SiloAddress self)
    {
        if (holder.Silo == self || IsDead(holder.Silo))
        {
            return true;
        }

        if (_membership.Current.Find(holder.Silo) is not null)
        {
            return false;
        }

        var snapshot = await _table.ReadAllAsync();
        _membership.Publish(snapshot);
        return snapshot.Find(holder.Silo)?.Status is null or SiloStatus.Dead;
    }

    private int Load(SiloAddress silo) => silo == _membership.Self ? _catalog.Count : _membership.Current.Find(silo)?.ActivationCount ?? 0;

    /// <summary>Known dead in this silo's view. A silo the view does not know is not assumed dead: it may be newer than the view.</summary>
    private bool IsDead(SiloAddress silo) => _membership.Current.Find(silo)?.Status is SiloStatus.Dead or SiloStatus.ShuttingDown;

    private void OnMembershipChanged(MembershipSnapshot snapshot)
    {
        var dead = snapshot.Entries.Where(e => e.Status == SiloStatus.Dead).Select(e => e.Silo).ToList();
        lock (_knownDead)
        {
            dead.RemoveAll(s => !_knownDead.Add(s));
        }

        if (dead.Count == 0)
        {
            return;
        }

        foreach (var silo in dead)
        {
            _messenger.SiloDied(silo);
        }

        foreach (var (grain, silo) in _cache)
        {
            if (dead.Contains(silo))
            {
                _cache.TryRemove(grain, out _);
            }
        }

        _ = UnregisterSilosAsync(dead);
    }

    private async Task UnregisterAsync(DirectoryEntry entry)
    {
        try
        {
            await _directory.UnregisterAsync(entry);
        }
        catch (Exception ex)
        {
            Log.DirectoryWriteFailed(_logger, ex);
        }
    }

    private async Task UnregisterSilosAsync(IReadOnlyCollection<SiloAddress> silos)
    {
        try
        {
            await _directory.UnregisterSilosAsync(silos);
        }
        catch (Exception ex)
        {
            Log.DirectoryWriteFailed(_logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1401, LogLevel.Warning, "A grain directory write failed; stale entries are replaced at the next registration")]
        public static partial void DirectoryWriteFailed(ILogger logger, Exception exception);
    }
}

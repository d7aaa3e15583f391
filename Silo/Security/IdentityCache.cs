using OrleansDcos.Grains.Security;

namespace OrleansDcos.Silo.Security;

/// <summary>
/// The silo's copy of the identities grain: asked for again when it is older than <see cref="MaxAge"/> (the grain
/// answers nothing when nothing changed), so a revoked token or grant stops working on every silo within that time, and
/// at once on the silo that made the change.
/// </summary>
public sealed class IdentityCache(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How stale the copy may get.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Entry? _entry;

    /// <summary>The last copy fetched, or null before the first.</summary>
    public IdentityView? Cached => _entry?.View;

    /// <summary>A copy no older than <see cref="MaxAge"/>.</summary>
    public async ValueTask<IdentityView> CurrentAsync()
    {
        if (_entry is { } entry && time.GetUtcNow() - entry.FetchedAt < MaxAge)
        {
            return entry.View;
        }

        await _refresh.WaitAsync();
        try
        {
            if (_entry is { } fresh && time.GetUtcNow() - fresh.FetchedAt < MaxAge)
            {
                return fresh.View;
            }

            var known = _entry;
            var snapshot = await Grain.Snapshot(known?.View.Version ?? -1);
            var view = snapshot is null ? known!.View : new IdentityView(snapshot);
            _entry = new Entry(view, time.GetUtcNow());
            return view;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Forgets the copy's age so the next request fetches (after this silo changed an identity).</summary>
    public void Invalidate()
    {
        if (_entry is { } entry)
        {
            _entry = entry with { FetchedAt = DateTimeOffset.MinValue };
        }
    }

    /// <summary>The identities grain.</summary>
    public IIdentitiesGrain Grain => grains.GetGrain<IIdentitiesGrain>(IIdentitiesGrain.Key);

    private sealed record Entry(IdentityView View, DateTimeOffset FetchedAt);
}

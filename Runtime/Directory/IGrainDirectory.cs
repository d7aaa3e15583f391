using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Runtime.Directory;

/// <summary>Where a grain's one activation lives.</summary>
public sealed record DirectoryEntry(GrainId Grain, SiloAddress Silo, string ActivationId);

/// <summary>
/// The grain directory: at most one entry per grain. <see cref="RegisterAsync"/> never overwrites a live
/// entry — it returns the winner; an entry the caller reports stale (its silo dead, or gone) is removed
/// first and the registration retried.
/// </summary>
public interface IGrainDirectory
{
    /// <summary>Registers <paramref name="entry"/> unless a live entry exists; returns the entry that holds.</summary>
    Task<DirectoryEntry> RegisterAsync(DirectoryEntry entry, Func<DirectoryEntry, Task<bool>> isStale, CancellationToken cancellationToken = default);

    /// <summary>The entry of <paramref name="grain"/>, or null.</summary>
    Task<DirectoryEntry?> LookupAsync(GrainId grain, CancellationToken cancellationToken = default);

    /// <summary>Removes the entry if it is still this activation's.</summary>
    Task UnregisterAsync(DirectoryEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes every entry on the given silos (they died).</summary>
    Task UnregisterSilosAsync(IReadOnlyCollection<SiloAddress> silos, CancellationToken cancellationToken = default);
}

namespace OrleansDcos.Runtime.Membership;

/// <summary>
/// The membership table: silo rows plus a cluster version. Every change of a row is a compare-and-swap
/// on the version (which it bumps by exactly one); only the I-am-alive time changes without it. A Dead
/// row never changes again.
/// </summary>
public interface IMembershipTable
{
    /// <summary>Every row and the version, read atomically.</summary>
    Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a row if the version is still <paramref name="expectedVersion"/>; false otherwise (or if the row exists).</summary>
    Task<bool> InsertAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Replaces a row's status and votes if the version is still <paramref name="expectedVersion"/> and the row is not Dead.</summary>
    Task<bool> UpdateAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Stamps a row's I-am-alive time and activation count (no version change).</summary>
    Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset at, int activationCount, CancellationToken cancellationToken = default);

    /// <summary>Deletes Dead rows whose I-am-alive is older than <paramref name="olderThan"/>; returns how many.</summary>
    Task<int> CleanupAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="changed"/> whenever another member changes the table, until cancelled.</summary>
    Task ListenAsync(Action changed, CancellationToken cancellationToken);
}

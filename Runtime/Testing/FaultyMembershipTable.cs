using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Runtime.Testing;

/// <summary>A membership table whose access a test can cut (every call then fails as a lost database connection would).</summary>
public sealed class FaultyMembershipTable(IMembershipTable inner) : IMembershipTable
{
    /// <summary>While true, every operation throws.</summary>
    public bool Unreachable { get; set; }

    /// <inheritdoc />
    public Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken = default) => Guard(() => inner.ReadAllAsync(cancellationToken));

    /// <inheritdoc />
    public Task<bool> InsertAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default) =>
        Guard(() => inner.InsertAsync(entry, expectedVersion, cancellationToken));

    /// <inheritdoc />
    public Task<bool> UpdateAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default) =>
        Guard(() => inner.UpdateAsync(entry, expectedVersion, cancellationToken));

    /// <inheritdoc />
    public Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset at, int activationCount, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await inner.UpdateIAmAliveAsync(silo, at, activationCount, cancellationToken);
            return true;
        });

    /// <inheritdoc />
    public Task<int> CleanupAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default) => Guard(() => inner.CleanupAsync(olderThan, cancellationToken));

    /// <inheritdoc />
    public Task ListenAsync(Action changed, CancellationToken cancellationToken) => inner.ListenAsync(() =>
    {
        if (!Unreachable)
        {
            changed();
        }
    }, cancellationToken);

    private Task<T> Guard<T>(Func<Task<T>> operation) =>
        Unreachable ? Task.FromException<T>(new TimeoutException("the membership table is unreachable (fault injected by the test)")) : operation();
}

using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>The cluster's audit trail (one grain, key <see cref="Key"/>): bounded, kept durably, read in sequence order.</summary>
[Alias("dcos.IAuditGrain")]
public interface IAuditGrain : IGrainWithStringKey
{
    /// <summary>The grain's key.</summary>
    const string Key = "audit";

    /// <summary>Appends entries (their sequence numbers are given here; the ones passed in are ignored).</summary>
    [Alias("Append")]
    Task Append(IReadOnlyList<AuditRecord> entries);

    /// <summary>Up to <paramref name="limit"/> entries after <paramref name="after"/>, oldest first; only <paramref name="principal"/>'s own when it is given.</summary>
    [Alias("Read")]
    Task<IReadOnlyList<AuditRecord>> Read(long after, int limit, string? principal);
}

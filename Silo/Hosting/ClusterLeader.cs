using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Silo.Hosting;

/// <summary>
/// The cluster's leader as Marathon's and Mesos' APIs report it (<c>/v2/leader</c>, <c>/v2/info</c>,
/// <c>/master/state</c>): the oldest active silo. Every silo reads the same membership table, so all name the same
/// one, and it changes only when that silo leaves the table (dies or stops). Any silo serves every request; the
/// leader is the one clients are told about.
/// </summary>
public sealed class ClusterLeader(ClusterMembership membership)
{
    /// <summary>The leader in <paramref name="entries"/>: the active member that started first (ties: by address).</summary>
    public static MembershipEntry? Elect(IEnumerable<MembershipEntry> entries) => entries
        .Where(e => e.Status == SiloStatus.Active)
        .OrderBy(e => e.StartTime)
        .ThenBy(e => e.Silo)
        .FirstOrDefault();

    /// <summary>The leader now, or null while no silo is active.</summary>
    public MembershipEntry? Current => Elect(membership.Current.Entries);

    /// <summary>The leader's <c>host:port</c>, or null.</summary>
    public string? Address => Current is { } leader ? $"{leader.Silo.Host}:{leader.Silo.Port}" : null;

    /// <summary>True when this silo is the leader.</summary>
    public bool IsSelf => Current is { } leader && membership.Self == leader.Silo;
}

namespace OrleansDcos.Silo.Hosting;

/// <summary>
/// The cluster's leader as Marathon's and Mesos' APIs report it (<c>/v2/leader</c>, <c>/v2/info</c>,
/// <c>/master/state</c>): the oldest active silo (the lowest generation, which Orleans takes from the start time).
/// Every silo reads the same membership, so all name the same one, and it changes only when that silo leaves (dies or
/// stops). Any silo serves every request; the leader is the one clients are told about, by its API address (a silo's
/// name is its API's <c>host:port</c>).
/// </summary>
public sealed class ClusterLeader(IClusterMembershipService membership, ILocalSiloDetails self)
{
    private static readonly DateTimeOffset GenerationEpoch = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The leader among <paramref name="members"/>: the active one that started first (ties: by address).</summary>
    public static ClusterMember? Elect(IEnumerable<ClusterMember> members) => members
        .Where(m => m.Status == SiloStatus.Active)
        .OrderBy(m => m.SiloAddress.Generation)
        .ThenBy(m => m.SiloAddress.ToString(), StringComparer.Ordinal)
        .FirstOrDefault();

    /// <summary>When <paramref name="member"/> started (its generation counts seconds from 2022-01-01).</summary>
    public static DateTimeOffset StartTime(ClusterMember member) => GenerationEpoch.AddSeconds(member.SiloAddress.Generation);

    /// <summary>The leader now, or null while no silo is active.</summary>
    public ClusterMember? Current => Elect(membership.CurrentSnapshot.Members.Values);

    /// <summary>The leader's API <c>host:port</c>, or null.</summary>
    public string? Address => Current?.Name;

    /// <summary>The host and port of a silo's name (its API's <c>host:port</c>); port 0 when it names none.</summary>
    public static (string Host, int Port) HostAndPort(string name)
    {
        var colon = name.LastIndexOf(':');
        return colon > 0 ? (name[..colon], int.TryParse(name[(colon + 1)..], out var port) ? port : 0) : (name, 0);
    }

    /// <summary>This silo's API <c>host:port</c> (its Orleans name), from its own settings.</summary>
    public string SelfName => self.Name;

    /// <summary>This silo's Orleans address (its silo-to-silo endpoint and generation).</summary>
    public SiloAddress SelfAddress => self.SiloAddress;

    /// <summary>True when this silo is the leader.</summary>
    public bool IsSelf => Current is { } leader && leader.SiloAddress.Equals(self.SiloAddress);

    /// <summary>True while this silo is an active member (it serves grain calls).</summary>
    public bool SelfActive => membership.CurrentSnapshot.GetSiloStatus(self.SiloAddress) == SiloStatus.Active;
}

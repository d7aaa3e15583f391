using OrleansDcos.Runtime.Hosting;

namespace OrleansDcos.Runtime.Membership;

/// <summary>
/// Failure-detection settings (section <c>Membership</c>). The defaults declare a killed silo dead
/// in about 4–6 s: probes every second, 3 misses to suspect, two votes (or half the live silos
/// in a small cluster) to declare; Orleans' defaults take about 15 s.
/// </summary>
public sealed class MembershipOptions : ISelfValidatingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Membership";

    /// <summary>The cluster (rows of other clusters in the same tables are ignored). Default <c>dcos</c>.</summary>
    public string ClusterId { get; set; } = "dcos";

    /// <summary>How often each silo probes the silos it watches. Default 1 s.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a probe may take. Default 1 s.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes in a row (each followed by a failed indirect probe) before voting. Default 3.</summary>
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>How many silos each silo watches (its successors on the ring of active silos). Default 3.</summary>
    public int NumProbedSilos { get; set; } = 3;

    /// <summary>Votes that declare a silo dead (fewer when the cluster is small: half the live silos, rounded up). Default 2.</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>Votes older than this do not count. Default 30 s.</summary>
    public TimeSpan DeathVoteExpiration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a silo writes its I-am-alive time. Default 2 s.</summary>
    public TimeSpan IAmAliveInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A member whose I-am-alive is older than this is stale: its votes do not count toward the quorum size. Default 10 s.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the whole table is reread (besides change notifications). Default 5 s.</summary>
    public TimeSpan TableRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A silo that has not reached the table for this long stops admitting requests and exits through
    /// its fatal-error handler (it may have been declared dead meanwhile). Default 15 s.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Rows of dead silos older than this are deleted. Default 1 day.</summary>
    public TimeSpan DefunctSiloExpiration { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Every problem, each naming the setting and its value.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var (name, value) in new (string, TimeSpan)[]
        {
            (nameof(ProbeInterval), ProbeInterval), (nameof(ProbeTimeout), ProbeTimeout), (nameof(DeathVoteExpiration), DeathVoteExpiration),
            (nameof(IAmAliveInterval), IAmAliveInterval), (nameof(StaleAfter), StaleAfter), (nameof(TableRefreshInterval), TableRefreshInterval),
            (nameof(LeaseDuration), LeaseDuration), (nameof(DefunctSiloExpiration), DefunctSiloExpiration),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{SectionName}:{name} '{value}' must be positive");
            }
        }

        if (NumMissedProbesLimit < 1 || NumProbedSilos < 1 || NumVotesForDeathDeclaration < 1)
        {
            errors.Add($"{SectionName}:NumMissedProbesLimit, NumProbedSilos and NumVotesForDeathDeclaration must be at least 1");
        }

        if (LeaseDuration <= IAmAliveInterval)
        {
            errors.Add($"{SectionName}:LeaseDuration '{LeaseDuration}' must be longer than IAmAliveInterval '{IAmAliveInterval}'");
        }

        return errors;
    }
}

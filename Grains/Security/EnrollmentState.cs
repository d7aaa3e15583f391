using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>The enrollment grain's saved state.</summary>
[GenerateSerializer]
[Alias("dcos.EnrollmentState")]
public sealed class EnrollmentState
{
    /// <summary>Join tokens by id.</summary>
    [Id(0)]
    public Dictionary<string, StoredJoinToken> Tokens { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Enrolled agents by id.</summary>
    [Id(1)]
    public Dictionary<string, EnrolledAgentInfo> Agents { get; set; } = new(StringComparer.Ordinal);
}

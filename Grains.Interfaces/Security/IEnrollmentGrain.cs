using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>
/// Agent enrollment (one grain, key <see cref="Key"/>, kept durably): join tokens operators make and revoke, and the
/// credential each agent was given at its first enrollment (<see cref="Scheduling.Security.Enrollment"/>).
/// </summary>
[Alias("dcos.IEnrollmentGrain")]
public interface IEnrollmentGrain : IGrainWithStringKey
{
    /// <summary>The grain's key.</summary>
    const string Key = "enrollment";

    /// <summary>Makes a join token; the answer's <see cref="JoinTokenInfo.Text"/> is the only time its secret is shown.</summary>
    [Alias("CreateToken")]
    Task<JoinTokenInfo> CreateToken(string id, DateTimeOffset? expiresAt, int? uses);

    /// <summary>The join tokens (no secrets).</summary>
    [Alias("ListTokens")]
    Task<IReadOnlyList<JoinTokenInfo>> ListTokens();

    /// <summary>Revokes a join token (agents it admitted keep their credentials).</summary>
    [Alias("RevokeToken")]
    Task RevokeToken(string id);

    /// <summary>Whether <paramref name="presented"/> lets a daemon register as <paramref name="agentId"/>; a first enrollment is kept before the answer.</summary>
    [Alias("Enroll")]
    Task<EnrollmentAnswer> Enroll(string? presented, string agentId);

    /// <summary>The enrolled agents.</summary>
    [Alias("ListAgents")]
    Task<IReadOnlyList<EnrolledAgentInfo>> ListAgents();

    /// <summary>Revokes an agent's credential and removes the agent (its tasks are gone; its link is closed).</summary>
    [Alias("RevokeAgent")]
    Task RevokeAgent(string agentId);
}

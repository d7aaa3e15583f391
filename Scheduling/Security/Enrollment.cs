using System.Security.Cryptography;
using System.Text;

namespace OrleansDcos.Scheduling.Security;

/// <summary>
/// Agent enrollment: a daemon's first registration presents a join token and is given an agent credential
/// (<c>agent.{secret}</c>, shown once) bound to its agent id; every registration after presents that credential. A join
/// token cannot take an agent id that was enrolled already (no hijack of another agent), a credential admits only its
/// own agent id, and a revoked agent is refused.
/// </summary>
public static class Enrollment
{
    /// <summary>What an agent credential starts with (a join token is <c>{id}.{secret}</c> with an id that is never <c>agent</c>).</summary>
    public const string CredentialPrefix = "agent.";

    /// <summary>Decides whether <paramref name="presented"/> lets a daemon register as <paramref name="agentId"/> at <paramref name="now"/>.</summary>
    public static EnrollmentVerdict Decide(
        IReadOnlyDictionary<string, JoinToken> tokens, IReadOnlyDictionary<string, AgentCredential> agents, string? presented, string agentId, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return new("the agent link needs a join token or the agent's credential (Authorization: Bearer <token>)");
        }

        var known = agents.GetValueOrDefault(agentId);
        if (presented.StartsWith(CredentialPrefix, StringComparison.Ordinal))
        {
            return known is null || !Matches(presented[CredentialPrefix.Length..], known.SecretHash)
                ? new($"the agent credential is not valid for agent '{agentId}'")
                : known.Revoked ? new($"agent '{agentId}' was revoked by an operator")
                : new((string?)null);
        }

        if (JoinToken.Admit(tokens, presented, now, out var token) is { } problem)
        {
            return new(problem);
        }

        if (known is not null)
        {
            return new($"agent id '{agentId}' is enrolled already: only its own credential registers it");
        }

        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new(null, CredentialPrefix + secret, token!.Used(), new AgentCredential(agentId, HashOf(secret), token.Id, now));
    }

    /// <summary>SHA-256 of a secret, base64 (secrets are 32 random bytes: a slow hash adds nothing).</summary>
    public static string HashOf(string secret) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static bool Matches(string secret, string hash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(secret)), Encoding.ASCII.GetBytes(hash));
}

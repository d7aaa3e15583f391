namespace OrleansDcos.Scheduling.Security;

/// <summary>
/// The identity an agent was given at its first enrollment: only the SHA-256 of its secret, the join token that
/// admitted it, when, and whether an operator revoked it.
/// </summary>
public sealed record AgentCredential(string AgentId, string SecretHash, string AdmittedBy, DateTimeOffset IssuedAt, bool Revoked = false);

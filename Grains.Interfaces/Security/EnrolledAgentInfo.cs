using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>An agent given a credential: its id, the join token that admitted it, when, and whether it was revoked.</summary>
[GenerateSerializer]
[Alias("dcos.EnrolledAgentInfo")]
public sealed record EnrolledAgentInfo(
    [property: Id(0)] string AgentId,
    [property: Id(1)] string AdmittedBy,
    [property: Id(2)] DateTimeOffset IssuedAt,
    [property: Id(3)] bool Revoked,
    [property: Id(4)] string SecretHash);

using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>A join token as the enrollment grain keeps it (the secret's hash only).</summary>
[GenerateSerializer]
[Alias("dcos.StoredJoinToken")]
public sealed record StoredJoinToken(
    [property: Id(0)] string Id,
    [property: Id(1)] string SecretHash,
    [property: Id(2)] DateTimeOffset? ExpiresAt,
    [property: Id(3)] int? UsesLeft,
    [property: Id(4)] bool Revoked);

using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>A join token as operators see it; <see cref="Text"/> (what a daemon presents) only in the answer that made it.</summary>
[GenerateSerializer]
[Alias("dcos.JoinTokenInfo")]
public sealed record JoinTokenInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset? ExpiresAt,
    [property: Id(2)] int? UsesLeft,
    [property: Id(3)] bool Revoked,
    [property: Id(4)] string? Text = null);

using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>Whether a daemon may register (<see cref="Problem"/> null), and the credential it is given at its first enrollment.</summary>
[GenerateSerializer]
[Alias("dcos.EnrollmentAnswer")]
public sealed record EnrollmentAnswer([property: Id(0)] string? Problem, [property: Id(1)] string? Credential);

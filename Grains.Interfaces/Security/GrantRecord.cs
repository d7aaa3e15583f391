using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>A permission as the identities grain keeps it: a resource (<c>marathon:app:/team-a/*</c>) and its actions (<see cref="Scheduling.Security.PermissionActions"/> bits).</summary>
[GenerateSerializer]
[Alias("dcos.GrantRecord")]
public sealed record GrantRecord([property: Id(0)] string Resource, [property: Id(1)] int Actions);

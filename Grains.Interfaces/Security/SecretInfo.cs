using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>What may be told of a secret: its path and when it was made and last changed — never its value.</summary>
[GenerateSerializer]
[Alias("dcos.SecretInfo")]
public sealed record SecretInfo([property: Id(0)] string Path, [property: Id(1)] DateTimeOffset Created, [property: Id(2)] DateTimeOffset Updated);

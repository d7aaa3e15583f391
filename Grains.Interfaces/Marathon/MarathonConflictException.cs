using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>The change conflicts with the current state: the app exists, or a deployment holds it (409).</summary>
[GenerateSerializer]
[Alias("dcos.MarathonConflictException")]
public sealed class MarathonConflictException(string message) : Exception(message);

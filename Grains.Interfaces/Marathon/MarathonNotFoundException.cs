using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>The app, group, task or deployment does not exist (404).</summary>
[GenerateSerializer]
[Alias("dcos.MarathonNotFoundException")]
public sealed class MarathonNotFoundException(string message) : Exception(message);

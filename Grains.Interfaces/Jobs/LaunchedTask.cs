using Orleans;

namespace OrleansDcos.Grains.Jobs;

/// <summary>A task Chronos' scheduler launched: where, and when (recorded just before its ACCEPT).</summary>
/// <param name="AgentId">The agent it was launched on.</param>
/// <param name="Host">The agent's host name.</param>
/// <param name="At">When it was recorded launched.</param>
[GenerateSerializer]
[Alias("dcos.LaunchedTask")]
public sealed record LaunchedTask(string AgentId, string Host, DateTimeOffset At);

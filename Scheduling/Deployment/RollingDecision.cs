namespace OrleansDcos.Scheduling.Deployment;

/// <summary>What to do now: launch this many instances of the target version, kill these.</summary>
public sealed record RollingDecision(int Launch, IReadOnlyList<string> Kill, bool Done);

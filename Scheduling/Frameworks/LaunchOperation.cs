namespace OrleansDcos.Scheduling.Frameworks;

/// <summary>One LAUNCH (tasks each on their own) or LAUNCH_GROUP (all or none) of an ACCEPT.</summary>
public sealed record LaunchOperation(bool IsGroup, IReadOnlyList<LaunchRequest> Tasks);

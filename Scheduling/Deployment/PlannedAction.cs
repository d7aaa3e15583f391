namespace OrleansDcos.Scheduling.Deployment;

/// <summary>One action of a step: what happens to which app.</summary>
public sealed record PlannedAction(string Action, string App);

namespace OrleansDcos.Scheduling.Deployment;

/// <summary>A step: actions that run together; the next step starts when all of them are done.</summary>
public sealed record PlannedStep(IReadOnlyList<PlannedAction> Actions);

namespace OrleansDcos.Scheduling.Placement;

/// <summary>
/// The outcome of placing N tasks: the assignments made, how many could not be placed, and —
/// when some could not — why each agent was rejected for the first task that failed.
/// </summary>
public sealed record PlacementResult(IReadOnlyList<Assignment> Assignments, int Unplaced, RejectSummary Rejections);

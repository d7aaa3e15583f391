namespace OrleansDcos.Scheduling.Frameworks;

/// <summary>What an ACCEPT launches and what it refuses (<see cref="AcceptValidator"/>).</summary>
/// <param name="Launch">The tasks to launch, by (operation, task) index, in the call's order.</param>
/// <param name="Refused">The tasks refused (TASK_ERROR) and why, in the call's order.</param>
/// <param name="Used">What the launched tasks use together.</param>
public sealed record AcceptVerdict(
    IReadOnlyList<(int Operation, int Task)> Launch,
    IReadOnlyList<(string TaskId, string Reason)> Refused,
    Resources.Resources Used);

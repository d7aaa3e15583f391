namespace OrleansDcos.Scheduling.Frameworks;

/// <summary>What an ACCEPT launches and what it refuses (<see cref="AcceptValidator"/>).</summary>
/// <param name="Launch">The tasks to launch, by (operation, task) index, in the call's order.</param>
/// <param name="Refused">The tasks refused (TASK_ERROR) and why, in the call's order.</param>
/// <param name="Used">What the launched tasks use together.</param>
public sealed record AcceptVerdict(
    IReadOnlyList<(int Operation, int Task)> Launch,
    IReadOnlyList<(string TaskId, string Reason)> Refused,
    Resources.Resources Used)
{
    /// <summary>The role each launched task is allocated to, parallel to <see cref="Launch"/>.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary><see cref="Used"/> by the role it is allocated to.</summary>
    public IReadOnlyDictionary<string, Resources.Resources> UsedByRole { get; init; } = new Dictionary<string, Resources.Resources>();
}

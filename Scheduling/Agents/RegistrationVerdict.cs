namespace OrleansDcos.Scheduling.Agents;

/// <summary>What a (re-)registration does to the master's view of an agent's tasks (<see cref="RegistrationReconciler"/>).</summary>
/// <param name="Adopt">Reported tasks the master takes as they are reported.</param>
/// <param name="Kill">Reported tasks still running that the master cannot account for: the daemon kills them, the master forgets them.</param>
/// <param name="Returned">Adopted tasks that were UNREACHABLE and run again (the framework hears so, reason <c>REASON_AGENT_REREGISTERED</c>).</param>
/// <param name="Lost">Tasks the master launched there that the daemon does not have: TASK_LOST (<c>REASON_AGENT_UNKNOWN</c>).</param>
public sealed record RegistrationVerdict(
    IReadOnlyList<string> Adopt,
    IReadOnlyList<string> Kill,
    IReadOnlyList<string> Returned,
    IReadOnlyList<string> Lost);

namespace OrleansDcos.Scheduling.Security;

/// <summary>
/// What <see cref="Enrollment.Decide"/> made of a daemon's credential: admitted as the agent it has been
/// (<see cref="Issued"/> null), enrolled for the first time (<see cref="Issued"/> is the credential to hand it once,
/// with the token and agent records to keep), or refused (<see cref="Problem"/>).
/// </summary>
public sealed record EnrollmentVerdict(string? Problem, string? Issued = null, JoinToken? UsedToken = null, AgentCredential? NewAgent = null)
{
    /// <summary>True when the daemon may register.</summary>
    public bool Admitted => Problem is null;
}

namespace OrleansDcos.Tests.Support.Chaos;

/// <summary>
/// One Chronos job the soak created: its name, its parents (a dependent job) or the start of its one-minute schedule,
/// when it was sent, and the answer's status (0: none).
/// </summary>
public sealed record JobWrite(string Name, IReadOnlyList<string> Parents, DateTimeOffset? ScheduleStart, DateTimeOffset SentAt, int Status)
{
    /// <summary>Chronos answered 2xx: the job must exist.</summary>
    public bool Acknowledged => Status is >= 200 and < 300;
}

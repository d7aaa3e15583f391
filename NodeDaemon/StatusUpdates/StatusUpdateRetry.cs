namespace OrleansDcos.NodeDaemon.StatusUpdates;

/// <summary>When unacknowledged updates are resent: exponential from <see cref="Initial"/> up to <see cref="Max"/> (Mesos: 10 s to 10 min).</summary>
public sealed record StatusUpdateRetry(TimeSpan Initial, TimeSpan Max)
{
    /// <summary>1 s doubling up to 30 s: an agent on the same network as its silos need not wait as long as Mesos'.</summary>
    public StatusUpdateRetry()
        : this(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30))
    {
    }

    /// <summary>The wait before resend number <paramref name="attempt"/> (0-based).</summary>
    public TimeSpan Delay(int attempt) => TimeSpan.FromTicks(Math.Min(Max.Ticks, Initial.Ticks << Math.Min(attempt, 20)));
}

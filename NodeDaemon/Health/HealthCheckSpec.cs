namespace OrleansDcos.NodeDaemon.Health;

/// <summary>
/// One health check of a task, with Marathon's meaning and defaults: failures during
/// <see cref="GracePeriod"/> are ignored until the first success; after <see cref="MaxConsecutiveFailures"/>
/// failures in a row the task is unhealthy for good (and is killed).
/// </summary>
public sealed record HealthCheckSpec(
    HealthCheckProtocol Protocol,
    string Host = "127.0.0.1",
    int Port = 0,
    string Path = "/",
    string? Command = null,
    TimeSpan? GracePeriod = null,
    TimeSpan? Interval = null,
    TimeSpan? Timeout = null,
    int MaxConsecutiveFailures = 3,
    TimeSpan? Delay = null)
{
    /// <summary>Marathon: 300 s.</summary>
    public TimeSpan GracePeriodOrDefault => GracePeriod ?? TimeSpan.FromSeconds(300);

    /// <summary>Marathon: 60 s.</summary>
    public TimeSpan IntervalOrDefault => Interval ?? TimeSpan.FromSeconds(60);

    /// <summary>Marathon: 20 s.</summary>
    public TimeSpan TimeoutOrDefault => Timeout ?? TimeSpan.FromSeconds(20);

    /// <summary>Mesos: 15 s before the first check.</summary>
    public TimeSpan DelayOrDefault => Delay ?? TimeSpan.FromSeconds(15);
}

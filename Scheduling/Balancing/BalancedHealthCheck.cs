namespace OrleansDcos.Scheduling.Balancing;

/// <summary>An app's health check, which HAProxy repeats against each server.</summary>
/// <param name="Protocol">Marathon's protocol: HTTP, HTTPS, TCP, COMMAND, MESOS_HTTP, MESOS_HTTPS or MESOS_TCP.</param>
/// <param name="Path">The HTTP path.</param>
/// <param name="PortIndex">The port it checks (index into the ports); null with <paramref name="Port"/> null means 0.</param>
/// <param name="Port">A fixed port checked instead.</param>
/// <param name="Interval">Time between checks.</param>
/// <param name="Timeout">A check slower than this fails.</param>
/// <param name="MaxConsecutiveFailures">Marathon kills after this many failures; HAProxy takes a server out one earlier than the kill (failures + 1, as marathon-lb).</param>
public sealed record BalancedHealthCheck(
    string Protocol,
    string? Path,
    int? PortIndex,
    int? Port,
    TimeSpan Interval,
    TimeSpan Timeout,
    int MaxConsecutiveFailures);

namespace OrleansDcos.NodeDaemon.Health;

/// <summary>A change of a task's health.</summary>
/// <param name="Healthy">The new health.</param>
/// <param name="ConsecutiveFailures">Failures in a row so far.</param>
/// <param name="GaveUp">True once <see cref="HealthCheckSpec.MaxConsecutiveFailures"/> is reached: the task is to be killed.</param>
/// <param name="Message">What the last check saw.</param>
public sealed record HealthChange(bool Healthy, int ConsecutiveFailures, bool GaveUp, string Message);

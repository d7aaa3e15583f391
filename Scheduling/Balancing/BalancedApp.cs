namespace OrleansDcos.Scheduling.Balancing;

/// <summary>A Marathon app as the load balancer sees it.</summary>
/// <param name="AppId">The app id (<c>/prod/web</c>).</param>
/// <param name="Labels">The app's labels: <c>HAPROXY_GROUP</c> and the <c>HAPROXY_{n}_…</c> settings of its service ports.</param>
/// <param name="Ports">Its service ports, in port-definition order (index n of the labels).</param>
/// <param name="HealthChecks">Its health checks, in definition order.</param>
/// <param name="Tasks">Its tasks, whatever their state (the generator picks the ones that serve).</param>
public sealed record BalancedApp(
    string AppId,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<BalancedPort> Ports,
    IReadOnlyList<BalancedHealthCheck> HealthChecks,
    IReadOnlyList<BalancedTask> Tasks);

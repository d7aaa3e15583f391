namespace OrleansDcos.Scheduling.Balancing;

/// <summary>A service port of an app.</summary>
/// <param name="ServicePort">The cluster-wide port the load balancer listens on for it.</param>
/// <param name="Protocol"><c>tcp</c>, <c>udp</c> or <c>udp,tcp</c> (HAProxy balances TCP only).</param>
public sealed record BalancedPort(int ServicePort, string Protocol = "tcp");

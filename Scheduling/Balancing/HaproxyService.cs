namespace OrleansDcos.Scheduling.Balancing;

/// <summary>One service port of one app as HAProxy serves it: a frontend on its port, a backend of its tasks.</summary>
internal sealed record HaproxyService(
    BalancedApp App,
    int Index,
    int BindPort,
    string BindAddress,
    bool Http,
    string Balance,
    bool Sticky,
    IReadOnlyList<string> VirtualHosts,
    string? PathPrefix,
    BalancedHealthCheck? Check,
    string Backend);

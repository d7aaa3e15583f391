namespace OrleansDcos.Scheduling.Balancing;

/// <summary>What one load balancer serves and where it listens.</summary>
/// <param name="Group">The <c>HAPROXY_GROUP</c> it serves (marathon-lb's <c>--group</c>; <c>*</c> serves every app with service ports).</param>
/// <param name="BindAddress">The address its frontends bind (<c>*</c> for all; an app's <c>HAPROXY_{n}_BIND_ADDR</c> overrides).</param>
/// <param name="HttpPort">The shared HTTP frontend's port for virtual hosts (0: none).</param>
/// <param name="StatsPort">The port of the stats page and <c>/_haproxy_health_check</c> (0: none).</param>
/// <param name="RuntimeSocket">HAProxy's runtime API socket (also hands the listeners to the next process on reload), or null.</param>
public sealed record HaproxyOptions(
    string Group = HaproxyOptions.DefaultGroup,
    string BindAddress = "*",
    int HttpPort = 80,
    int StatsPort = 9090,
    string? RuntimeSocket = null)
{
    /// <summary>marathon-lb's default group.</summary>
    public const string DefaultGroup = "external";
}

using Microsoft.Extensions.Logging;

namespace OrleansDcos.LoadBalancer;

/// <summary>The load balancer's log lines.</summary>
internal static partial class LoadBalancerLog
{
    [LoggerMessage(1, LogLevel.Information, "haproxy started (master {Pid}) on {Path}")]
    public static partial void Started(ILogger logger, int pid, string path);

    [LoggerMessage(2, LogLevel.Information, "haproxy reloaded (master {Pid})")]
    public static partial void Reloaded(ILogger logger, int pid);

    [LoggerMessage(3, LogLevel.Error, "haproxy refused the new configuration; the running one stays: {Output}")]
    public static partial void Refused(ILogger logger, string output);

    [LoggerMessage(4, LogLevel.Warning, "haproxy: {Line}")]
    public static partial void HaproxyAlert(ILogger logger, string line);

    [LoggerMessage(5, LogLevel.Debug, "haproxy: {Line}")]
    public static partial void HaproxySaid(ILogger logger, string line);

    [LoggerMessage(6, LogLevel.Warning, "silo {Silo} did not answer ({Reason}); trying the next")]
    public static partial void SiloAway(ILogger logger, string silo, string reason);

    [LoggerMessage(7, LogLevel.Information, "following the events of silo {Silo}")]
    public static partial void Following(ILogger logger, string silo);

    [LoggerMessage(8, LogLevel.Warning, "left out of the configuration: {What}")]
    public static partial void LeftOut(ILogger logger, string what);

    [LoggerMessage(9, LogLevel.Information, "load balancer for group {Group} ready: configuration {Path}")]
    public static partial void Ready(ILogger logger, string group, string path);
}

using OrleansDcos.Grains.Marathon;
using OrleansDcos.Scheduling.Balancing;

namespace OrleansDcos.Silo.Discovery;

/// <summary>Marathon's apps and instances as the HAProxy generator reads them.</summary>
internal static class LoadBalancerApps
{
    /// <summary>Whether a load balancer of <paramref name="group"/> could serve <paramref name="app"/> (before its tasks are asked for).</summary>
    public static bool Candidate(AppDefinition app, string group) =>
        app.PortDefinitions.Count > 0 && (group == "*" || HaproxyConfig.Labelled(app.Labels));

    /// <summary>The app with its instances.</summary>
    public static BalancedApp From(AppDefinition app, IReadOnlyList<InstanceRecord> instances) => new(
        app.Id,
        app.Labels,
        app.PortDefinitions.Select(p => new BalancedPort(p.Port, p.Protocol)).ToList(),
        app.HealthChecks.Select(c => new BalancedHealthCheck(
            c.Protocol, c.Path, c.PortIndex, c.Port,
            TimeSpan.FromSeconds(c.IntervalSeconds), TimeSpan.FromSeconds(c.TimeoutSeconds), c.MaxConsecutiveFailures)).ToList(),
        instances.Select(i => new BalancedTask(i.TaskId, i.HostIp ?? i.Host, i.Ports, i.State, i.Killing, i.Healthy)).ToList());
}

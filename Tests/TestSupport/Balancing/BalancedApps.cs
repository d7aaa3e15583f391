using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Balancing;

namespace OrleansDcos.Tests.Support.Balancing;

/// <summary>Apps as the load balancer sees them, and a catalogue of configurations exercising every label.</summary>
public static class BalancedApps
{
    /// <summary>An app with <paramref name="servicePorts"/>, <paramref name="labels"/> (HAPROXY_GROUP=external unless given) and tasks.</summary>
    public static BalancedApp App(string id, IReadOnlyList<int> servicePorts, IReadOnlyDictionary<string, string>? labels = null, IReadOnlyList<BalancedHealthCheck>? checks = null, params BalancedTask[] tasks) =>
        new(id, labels ?? new Dictionary<string, string> { ["HAPROXY_GROUP"] = "external" }, servicePorts.Select(p => new BalancedPort(p)).ToList(), checks ?? [], tasks);

    /// <summary>A RUNNING task at <paramref name="address"/> with <paramref name="ports"/>.</summary>
    public static BalancedTask Task(string id, string address, params int[] ports) => new(id, address, ports, TaskState.TASK_RUNNING, Killing: false, Healthy: null);

    /// <summary>An HTTP health check of port index 0.</summary>
    public static BalancedHealthCheck HttpCheck(string path = "/") => new("HTTP", path, 0, null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), 3);

    /// <summary>Configurations covering each label and option, named: HAProxy itself must accept every one.</summary>
    public static IEnumerable<(string Name, HaproxyConfigText Config)> Catalogue()
    {
        var options = new HaproxyOptions(BindAddress: "127.0.0.1", HttpPort: 18080, StatsPort: 19090, RuntimeSocket: "/tmp/orleansdcos-haproxy-check.sock");
        var healthy = Task("web.1", "127.0.0.2", 31001, 31002) with { Healthy = true };
        yield return ("empty", HaproxyConfig.Render([], options));
        yield return ("tcp app, no tasks", HaproxyConfig.Render([App("/db", [10001])], options));
        yield return ("http app with a health check, vhost and path", HaproxyConfig.Render(
            [
                App("/prod/web", [10002, 10003], Labels(("HAPROXY_0_VHOST", "web.example.com,www.example.com"), ("HAPROXY_1_MODE", "tcp")), [HttpCheck("/health?x=1")], healthy, Task("web.2", "127.0.0.3", 31003, 31004) with { Healthy = true }),
                App("/prod/api", [10004], Labels(("HAPROXY_0_VHOST", "web.example.com"), ("HAPROXY_0_PATH", "/api/v1")), null, Task("api.1", "127.0.0.2", 31005)),
            ],
            options));
        yield return ("sticky, balance, bind address and port", HaproxyConfig.Render(
            [App("/shop", [10005], Labels(("HAPROXY_0_STICKY", "true"), ("HAPROXY_0_MODE", "http"), ("HAPROXY_0_BALANCE", "leastconn"), ("HAPROXY_0_BIND_ADDR", "127.0.0.9"), ("HAPROXY_0_PORT", "10006")), null, Task("shop.1", "127.0.0.2", 31006), Task("shop.2", "localhost", 31007))],
            options));
        yield return ("tcp health check", HaproxyConfig.Render(
            [App("/cache", [10007], null, [new BalancedHealthCheck("TCP", null, 0, null, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(20), 0)], Task("cache.1", "127.0.0.2", 31008) with { Healthy = true })],
            options));
        yield return ("no stats, no http port, no socket", HaproxyConfig.Render(
            [App("/prod/web", [10002], Labels(("HAPROXY_0_VHOST", "web.example.com")), null, Task("web.1", "127.0.0.2", 31001))],
            new HaproxyOptions(BindAddress: "127.0.0.1", HttpPort: 0, StatsPort: 0)));
        yield return ("IPv6 servers and all addresses", HaproxyConfig.Render(
            [App("/v6", [10008], null, null, Task("v6.1", "::1", 31009))],
            new HaproxyOptions(BindAddress: "*", HttpPort: 18081, StatsPort: 0)));
    }

    /// <summary>Labels in group external plus <paramref name="pairs"/>.</summary>
    public static IReadOnlyDictionary<string, string> Labels(params (string Key, string Value)[] pairs)
    {
        var labels = new Dictionary<string, string> { ["HAPROXY_GROUP"] = "external" };
        foreach (var (key, value) in pairs)
        {
            labels[key] = value;
        }

        return labels;
    }
}

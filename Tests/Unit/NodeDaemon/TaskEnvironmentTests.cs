using OrleansDcos.NodeDaemon.Tasks;
using Xunit;

namespace OrleansDcos.Tests.Unit.NodeDaemon;

[Trait("Area", "Agent")]
public sealed class TaskEnvironmentTests
{
    private static readonly TaskEnvironmentSource Source = new(
        "web.abc", "node-1", "/var/lib/dcos/sandboxes/web.abc", [31000, 31001], 0.5, 128, 10, 0, "fw-1", "/prod/web", "2026-11-22T10:00:00.000Z",
        new Dictionary<string, string> { ["team"] = "core", ["tier-name"] = "front" }, [null, "admin"]);

    [Fact]
    public void Ports_are_numbered_named_and_listed()
    {
        var env = TaskEnvironment.Build(Source);

        Assert.Equal("31000", env["PORT0"]);
        Assert.Equal("31001", env["PORT1"]);
        Assert.Equal("31000", env["PORT"]);
        Assert.Equal("31000,31001", env["PORTS"]);
        Assert.Equal("31001", env["PORT_ADMIN"]);
        Assert.Equal("node-1", env["HOST"]);
    }

    [Fact]
    public void Marathon_and_mesos_variables_describe_the_task_and_its_app()
    {
        var env = TaskEnvironment.Build(Source);

        Assert.Equal("web.abc", env["MESOS_TASK_ID"]);
        Assert.Equal("/var/lib/dcos/sandboxes/web.abc", env["MESOS_SANDBOX"]);
        Assert.Equal("fw-1", env["MESOS_FRAMEWORK_ID"]);
        Assert.Equal("/prod/web", env["MARATHON_APP_ID"]);
        Assert.Equal("0.5", env["MARATHON_APP_RESOURCE_CPUS"]);
        Assert.Equal("128.0", env["MARATHON_APP_RESOURCE_MEM"]);
        Assert.Equal("TEAM TIER_NAME", env["MARATHON_APP_LABELS"]);
        Assert.Equal("front", env["MARATHON_APP_LABEL_TIER_NAME"]);
    }

    [Fact]
    public void The_apps_variables_are_kept_but_cannot_lie_about_ports()
    {
        var env = TaskEnvironment.Build(Source, new Dictionary<string, string> { ["JAVA_OPTS"] = "-Xmx100m", ["PORT0"] = "80" });

        Assert.Equal("-Xmx100m", env["JAVA_OPTS"]);
        Assert.Equal("31000", env["PORT0"]);
    }

    [Fact]
    public void A_task_without_ports_or_app_gets_no_port_or_marathon_variables()
    {
        var env = TaskEnvironment.Build(new TaskEnvironmentSource("t", "h", "/s", [], 1, 32));

        Assert.DoesNotContain("PORT", env.Keys);
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("MARATHON_", StringComparison.Ordinal));
    }
}

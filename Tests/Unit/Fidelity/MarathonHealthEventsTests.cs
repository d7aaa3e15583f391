using System.Text.Json.Nodes;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Marathon.Apps;
using OrleansDcos.Grains.Marathon.Validation;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;
using Xunit;

namespace OrleansDcos.Tests.Unit.Fidelity;

/// <summary>Marathon's health-check events: added and removed with a version, failed with each unhealthy report.</summary>
[Trait("Area", "Fidelity")]
public sealed class MarathonHealthEventsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly AppDefinition Checked = AppReader.ReadOne(JsonNode.Parse("""
        {"id": "/web", "cmd": "httpd", "portDefinitions": [{"port": 0}], "healthChecks": [{"protocol": "HTTP", "path": "/health"}]}
        """)) with { Version = "2026-12-01T00:00:00.000Z" };

    [Fact]
    public void A_version_that_starts_or_stops_a_check_says_so()
    {
        var added = AppStatusEvents.HealthChecksChanged("/web", [], Checked, At).Single();
        Assert.Equal("add_health_check_event", added.EventType);
        var json = JsonNode.Parse(added.Json)!;
        Assert.Equal("/web", json["appId"]!.GetValue<string>());
        Assert.Equal("2026-12-01T00:00:00.000Z", json["version"]!.GetValue<string>());
        Assert.Equal("/health", json["healthCheck"]!["path"]!.GetValue<string>());

        Assert.Empty(AppStatusEvents.HealthChecksChanged("/web", Checked.HealthChecks, Checked, At));
        Assert.Equal("remove_health_check_event", AppStatusEvents.HealthChecksChanged("/web", Checked.HealthChecks, null, At).Single().EventType);
    }

    [Fact]
    public void An_unhealthy_report_is_a_failed_health_check_event()
    {
        var instance = new InstanceRecord("web.1", "/web", "a1", "h1", [31000], [], "v1", "v1", "2026-12-01T00:00:00.000Z", null,
            TaskState.TASK_RUNNING, true, false, "", Resources.Parse("cpus:1"), "*");
        var update = new TaskStatusUpdate("web.1", "marathon", TaskState.TASK_RUNNING, Guid.NewGuid(), 1_764_547_200, TaskReasons.HealthCheckUpdated, "HTTP GET /health answered 500", false);

        var events = AppStatusEvents.Of("/web", instance, update, At, Checked.HealthChecks).ToList();

        var failed = events.Single(e => e.EventType == "failed_health_check_event");
        var json = JsonNode.Parse(failed.Json)!;
        Assert.Equal("web.1", json["taskId"]!.GetValue<string>());
        Assert.Equal("web.1", json["instanceId"]!.GetValue<string>());
        Assert.Equal("/health", json["healthCheck"]!["path"]!.GetValue<string>());
        Assert.Contains(events, e => e.EventType == "health_status_changed_event");
    }
}

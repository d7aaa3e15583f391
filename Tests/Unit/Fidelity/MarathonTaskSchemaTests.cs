using System.Text.Json;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Silo.Marathon;
using Xunit;

namespace OrleansDcos.Tests.Unit.Fidelity;

/// <summary>A Marathon task's JSON against Marathon 1.10's (its RAML's Task and Health): names, types, and the IP it serves on.</summary>
[Trait("Area", "Fidelity")]
public sealed class MarathonTaskSchemaTests
{
    [Fact]
    public void Health_check_results_carry_Marathons_health_history()
    {
        var health = InstanceHealth.After(null, true, "2026-12-01T00:00:00.000Z", "HTTP GET / answered 200");
        health = InstanceHealth.After(health, false, "2026-12-01T00:01:00.000Z", "HTTP GET / answered 500");
        health = InstanceHealth.After(health, false, "2026-12-01T00:02:00.000Z", "checks given up");
        var task = Task(healthy: false, health, hostIp: "127.0.0.5");

        var json = JsonSerializer.SerializeToNode(MarathonJson.Task(task))!.AsObject();

        var result = json["healthCheckResults"]![0]!.AsObject();
        foreach (var key in new[] { "alive", "consecutiveFailures", "firstSuccess", "instanceId", "lastFailure", "lastFailureCause", "lastSuccess", "taskId" })
        {
            Assert.True(result.ContainsKey(key), $"healthCheckResults[].{key} missing");
        }

        Assert.False(result["alive"]!.GetValue<bool>());
        Assert.Equal(2, result["consecutiveFailures"]!.GetValue<int>());
        Assert.Equal("2026-12-01T00:00:00.000Z", result["firstSuccess"]!.GetValue<string>());
        Assert.Equal("2026-12-01T00:02:00.000Z", result["lastFailure"]!.GetValue<string>());
        Assert.Equal("checks given up", result["lastFailureCause"]!.GetValue<string>());
        Assert.Equal("127.0.0.5", json["ipAddresses"]![0]!["ipAddress"]!.GetValue<string>());

        var healthyAgain = InstanceHealth.After(health, true, "2026-12-01T00:03:00.000Z", null);
        Assert.Equal(0, healthyAgain.ConsecutiveFailures);
        Assert.Equal("2026-12-01T00:00:00.000Z", healthyAgain.FirstSuccess);
        Assert.Equal("2026-12-01T00:03:00.000Z", healthyAgain.LastSuccess);
    }

    [Fact]
    public void A_task_has_Marathons_keys()
    {
        var json = JsonSerializer.SerializeToNode(MarathonJson.Task(Task(healthy: true, null, hostIp: null)))!.AsObject();

        foreach (var key in new[] { "id", "appId", "host", "ports", "servicePorts", "slaveId", "stagedAt", "startedAt", "version", "state", "ipAddresses", "healthCheckResults" })
        {
            Assert.True(json.ContainsKey(key), $"task.{key} missing");
        }

        Assert.Equal("h1", json["ipAddresses"]![0]!["ipAddress"]!.GetValue<string>()); // an instance from before the IP was kept: its host
    }

    private static InstanceRecord Task(bool healthy, InstanceHealth? health, string? hostIp) =>
        new("web.1", "/web", "a1", "h1", [31000], [10000], "v1", "v1", "2026-12-01T00:00:00.000Z", "2026-12-01T00:00:01.000Z",
            TaskState.TASK_RUNNING, healthy, false, "", Resources.Parse("cpus:1"), "*", hostIp, health);
}

using System.Text.Json.Nodes;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Marathon.Apps;

/// <summary>Marathon's event-bus events of an app's instances, in Marathon's shapes.</summary>
internal static class AppStatusEvents
{
    /// <summary>
    /// The events of a status update that changes the instance: the status itself, the instance's condition, and its
    /// health when it changed. An update that repeats what the instance already is (a resend after a silo failover, a
    /// reconciliation answer) gives none.
    /// </summary>
    public static IEnumerable<MarathonEvent> Of(string appId, InstanceRecord instance, TaskStatusUpdate update, DateTimeOffset at, IReadOnlyList<HealthCheckDefinition>? checks = null)
    {
        checks ??= [];
        var healthChanged = update.Healthy is { } h && h != instance.Healthy;
        if (update.State == instance.State && !healthChanged && !update.State.IsTerminal())
        {
            yield break;
        }

        yield return MarathonEvent.Of(at, MarathonEventStream.StatusUpdate, new JsonObject
        {
            ["slaveId"] = instance.AgentId,
            ["taskId"] = instance.TaskId,
            ["taskStatus"] = update.State.ToString(),
            ["message"] = update.Message ?? string.Empty,
            ["appId"] = appId,
            ["host"] = instance.Host,
            ["ipAddresses"] = new JsonArray(new JsonObject { ["ipAddress"] = instance.HostIp ?? instance.Host, ["protocol"] = "IPv4" }),
            ["ports"] = new JsonArray([.. instance.Ports.Select(p => (JsonNode)p)]),
            ["version"] = instance.Version,
        });
        if (update.State != instance.State || update.State.IsTerminal())
        {
            yield return MarathonEvent.Of(at, MarathonEventStream.InstanceChanged, new JsonObject
            {
                ["instanceId"] = instance.TaskId,
                ["condition"] = Condition(update.State),
                ["runSpecId"] = appId,
                ["agentId"] = instance.AgentId,
                ["host"] = instance.Host,
                ["runSpecVersion"] = instance.Version,
            });
        }

        if (update.Healthy == false && checks.Count > 0)
        {
            // failed_health_check_event: each failure the agent reports (it reports changes, and giving up).
            yield return MarathonEvent.Of(at, MarathonEventStream.FailedHealthCheck, new JsonObject
            {
                ["appId"] = appId,
                ["taskId"] = instance.TaskId,
                ["instanceId"] = instance.TaskId,
                ["version"] = instance.Version,
                ["healthCheck"] = System.Text.Json.JsonSerializer.SerializeToNode(checks[0]),
            });
        }

        if (update.Healthy is { } healthy && healthy != instance.Healthy)
        {
            yield return MarathonEvent.Of(at, MarathonEventStream.HealthStatusChanged, new JsonObject
            {
                ["appId"] = appId,
                ["instanceId"] = instance.TaskId,
                ["taskId"] = instance.TaskId,
                ["version"] = instance.Version,
                ["alive"] = healthy,
            });
            yield return MarathonEvent.Of(at, MarathonEventStream.InstanceHealthChanged, new JsonObject
            {
                ["instanceId"] = instance.TaskId,
                ["runSpecId"] = appId,
                ["runSpecVersion"] = instance.Version,
                ["healthy"] = healthy,
            });
        }
    }

    /// <summary>
    /// add_health_check_event / remove_health_check_event: the health checks an applied version starts or stops (compared
    /// by their definition), as Marathon's health-check manager announces them.
    /// </summary>
    public static IEnumerable<MarathonEvent> HealthChecksChanged(string appId, IReadOnlyList<HealthCheckDefinition> before, AppDefinition? applied, DateTimeOffset at)
    {
        var after = applied?.HealthChecks ?? [];
        foreach (var check in after.Where(c => !before.Contains(c)))
        {
            yield return MarathonEvent.Of(at, MarathonEventStream.AddHealthCheck, new JsonObject
            {
                ["appId"] = appId,
                ["version"] = applied!.Version,
                ["healthCheck"] = System.Text.Json.JsonSerializer.SerializeToNode(check),
            });
        }

        foreach (var check in before.Where(c => !after.Contains(c)))
        {
            yield return MarathonEvent.Of(at, MarathonEventStream.RemoveHealthCheck, new JsonObject
            {
                ["appId"] = appId,
                ["healthCheck"] = System.Text.Json.JsonSerializer.SerializeToNode(check),
            });
        }
    }

    /// <summary>unhealthy_instance_kill_event: an instance killed because its health check gave up.</summary>
    public static MarathonEvent UnhealthyKill(string appId, InstanceRecord instance, DateTimeOffset at) =>
        MarathonEvent.Of(at, MarathonEventStream.UnhealthyInstanceKill, new JsonObject
        {
            ["appId"] = appId,
            ["taskId"] = instance.TaskId,
            ["instanceId"] = instance.TaskId,
            ["version"] = instance.Version,
            ["reason"] = "the health check failed too often",
            ["host"] = instance.Host,
            ["slaveId"] = instance.AgentId,
        });

    /// <summary>Marathon's instance condition for a Mesos state.</summary>
    public static string Condition(TaskState state) => state switch
    {
        TaskState.TASK_STAGING => "Staging",
        TaskState.TASK_STARTING => "Starting",
        TaskState.TASK_RUNNING => "Running",
        TaskState.TASK_KILLING => "Killing",
        TaskState.TASK_FINISHED => "Finished",
        TaskState.TASK_FAILED => "Failed",
        TaskState.TASK_KILLED => "Killed",
        TaskState.TASK_ERROR => "Error",
        TaskState.TASK_DROPPED => "Dropped",
        TaskState.TASK_UNREACHABLE => "Unreachable",
        TaskState.TASK_GONE or TaskState.TASK_GONE_BY_OPERATOR => "Gone",
        _ => "Unknown",
    };
}

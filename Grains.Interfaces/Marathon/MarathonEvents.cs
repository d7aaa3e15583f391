using System.Text.Json.Nodes;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>One event of Marathon's event bus: its type and its JSON (with <c>eventType</c> and <c>timestamp</c>, Marathon's shape).</summary>
[GenerateSerializer]
[Alias("dcos.MarathonEvent")]
public sealed record MarathonEvent(string EventType, string Json)
{
    /// <summary>An event of <paramref name="eventType"/> with <paramref name="fields"/>, stamped now.</summary>
    public static MarathonEvent Of(string eventType, JsonObject fields)
    {
        var json = new JsonObject { ["eventType"] = eventType, ["timestamp"] = MarathonKeys.Timestamp(DateTimeOffset.UtcNow) };
        foreach (var (name, value) in fields)
        {
            json[name] = value?.DeepClone();
        }

        return new MarathonEvent(eventType, json.ToJsonString());
    }
}

/// <summary>The event bus: one durable stream every silo serves <c>/v2/events</c> from (ordered, resumable by sequence).</summary>
public static class MarathonEventStream
{
    /// <summary>The stream's namespace.</summary>
    public const string Namespace = "marathon-events";

    /// <summary>The stream's key.</summary>
    public const string Key = "all";

    /// <summary>The stream provider it lives in (the master's).</summary>
    public const string ProviderName = "default";

    /// <summary>Marathon's event types.</summary>
    public const string StatusUpdate = "status_update_event",
        InstanceChanged = "instance_changed_event",
        HealthStatusChanged = "health_status_changed_event",
        InstanceHealthChanged = "instance_health_changed_event",
        UnhealthyInstanceKill = "unhealthy_instance_kill_event",
        DeploymentInfo = "deployment_info",
        DeploymentStepSuccess = "deployment_step_success",
        DeploymentStepFailure = "deployment_step_failure",
        DeploymentSuccess = "deployment_success",
        DeploymentFailed = "deployment_failed",
        GroupChangeSuccess = "group_change_success",
        ApiPost = "api_post_event",
        AppTerminated = "app_terminated_event",
        StreamAttached = "event_stream_attached",
        StreamDetached = "event_stream_detached",
        Subscribe = "subscribe_event",
        Unsubscribe = "unsubscribe_event";
}

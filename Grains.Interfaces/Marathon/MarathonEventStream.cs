namespace OrleansDcos.Grains.Marathon;

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
        AddHealthCheck = "add_health_check_event",
        RemoveHealthCheck = "remove_health_check_event",
        FailedHealthCheck = "failed_health_check_event",
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

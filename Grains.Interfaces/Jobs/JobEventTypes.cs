namespace OrleansDcos.Grains.Jobs;

/// <summary>The jobs' event types on the event bus (<c>/v2/events</c>, beside Marathon's).</summary>
public static class JobEventTypes
{
    /// <summary>A job was created, updated or deleted: <c>{jobName, change}</c>.</summary>
    public const string JobChanged = "job_changed_event";

    /// <summary>A run changed: <c>{jobName, taskId, due, attempt, trigger, state, message}</c> — queued, running, succeeded, failed (retried or final), skipped.</summary>
    public const string JobRun = "job_run_event";
}

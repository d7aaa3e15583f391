using System.Text.Json.Nodes;
using OrleansDcos.Grains.Marathon;

namespace OrleansDcos.Grains.Jobs;

/// <summary>The jobs' events on the event bus, in the bus's shape (<c>eventType</c>, <c>timestamp</c>, the fields).</summary>
internal static class JobEvents
{
    /// <summary><c>job_changed_event</c>: <paramref name="change"/> is created, updated or deleted.</summary>
    public static MarathonEvent Changed(string job, string change, DateTimeOffset at) =>
        MarathonEvent.Of(at, JobEventTypes.JobChanged, new JsonObject { ["jobName"] = job, ["change"] = change });

    /// <summary><c>job_run_event</c>: the run as it is now (a retry is reported as the failed attempt with state <c>retrying</c>).</summary>
    public static MarathonEvent Run(string job, JobRun run, DateTimeOffset at, string? state = null)
    {
        var fields = new JsonObject
        {
            ["jobName"] = job,
            ["taskId"] = run.TaskId,
            ["due"] = MarathonKeys.Timestamp(run.Due),
            ["attempt"] = run.Attempt,
            ["trigger"] = run.Trigger,
            ["state"] = state ?? run.State,
        };
        if (run.Message is { } message)
        {
            fields["message"] = message;
        }

        return MarathonEvent.Of(at, JobEventTypes.JobRun, fields);
    }
}

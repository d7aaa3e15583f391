namespace OrleansDcos.Grains.Jobs;

/// <summary>The built-in Chronos (section <c>Jobs</c>).</summary>
public sealed class JobsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Jobs";

    /// <summary>The roles Chronos subscribes with (its jobs' tasks take resources of these).</summary>
    public List<string> Roles { get; set; } = ["*"];

    /// <summary>How long a failed run waits before its next attempt (Chronos' <c>failure_retry</c>, 60 s).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a run whose agent went unreachable waits for it to come back (with the task's real outcome) before it
    /// counts as failed and is tried again; a task that comes back later is killed. Default 60 s: a restarted daemon
    /// is back well within it, and waiting is what keeps a run from running twice.
    /// </summary>
    public TimeSpan UnreachableRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many finished runs each job keeps in its history.</summary>
    public int MaxHistory { get; set; } = 100;

    /// <summary>The most jobs.</summary>
    public int MaxJobs { get; set; } = 100_000;

    /// <summary>How often a job with a run in progress says again what it waits for (its queued launch, a launched task's state).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a launched task may stay without a status before the master is asked about it.</summary>
    public TimeSpan LaunchReconcileAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest job body read (<c>POST /v1/scheduler/iso8601</c>).</summary>
    public long MaxRequestBytes { get; set; } = 256 * 1024;

    /// <summary>How long offers are refused while runs wait (short: another run may fit soon).</summary>
    public TimeSpan DeclineWhileWaiting { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What is wrong with these settings.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Roles.Count == 0 || Roles.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("Jobs:Roles must name at least one role");
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromDays(1))
        {
            problems.Add("Jobs:RetryDelay must be from 0 to 1 day");
        }

        if (UnreachableRetryAfter <= TimeSpan.Zero || UnreachableRetryAfter > TimeSpan.FromDays(1))
        {
            problems.Add("Jobs:UnreachableRetryAfter must be more than 0 and at most 1 day");
        }

        if (MaxHistory is < 1 or > 10_000)
        {
            problems.Add("Jobs:MaxHistory must be from 1 to 10000");
        }

        if (MaxRequestBytes is < 1024 or > 64 * 1024 * 1024)
        {
            problems.Add("Jobs:MaxRequestBytes must be from 1 KiB to 64 MiB");
        }

        if (MaxJobs < 1)
        {
            problems.Add("Jobs:MaxJobs must be at least 1");
        }

        foreach (var (name, value) in new[] { ("ReconcileInterval", ReconcileInterval), ("LaunchReconcileAfter", LaunchReconcileAfter), ("DeclineWhileWaiting", DeclineWhileWaiting) })
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromHours(1))
            {
                problems.Add($"Jobs:{name} must be more than 0 and at most an hour");
            }
        }

        return problems;
    }
}

namespace OrleansDcos.Grains.Jobs;

/// <summary>What a job keeps across failovers.</summary>
public sealed class JobGrainState
{
    /// <summary>The definition; null when there is no job.</summary>
    public JobDefinition? Definition { get; set; }

    /// <summary>The latest due time run or skipped: due times up to it are never looked at again (exactly once per due time).</summary>
    public DateTimeOffset? LastDue { get; set; }

    /// <summary>Runs in progress (more than one only for <c>concurrent</c> jobs).</summary>
    public List<JobRun> Active { get; set; } = [];

    /// <summary>When a queued attempt may be launched (a retry's delay), by task id.</summary>
    public Dictionary<string, DateTimeOffset> RetryAt { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Tasks killed on request: their failure is final, not retried.</summary>
    public HashSet<string> KilledOnRequest { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Chronos' counters.</summary>
    public int SuccessCount { get; set; }

    /// <summary>Failed runs.</summary>
    public int ErrorCount { get; set; }

    /// <summary>The last success.</summary>
    public DateTimeOffset? LastSuccess { get; set; }

    /// <summary>The last failure.</summary>
    public DateTimeOffset? LastError { get; set; }

    /// <summary>Failures since the last success.</summary>
    public int ErrorsSinceLastSuccess { get; set; }

    /// <summary>Due times skipped in all.</summary>
    public long SkippedCount { get; set; }

    /// <summary>When the last run started (a dependent job runs once its parents all succeeded after this).</summary>
    public DateTimeOffset? LastRunStarted { get; set; }

    /// <summary>Each parent's last success.</summary>
    public Dictionary<string, DateTimeOffset> ParentSuccesses { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Launched runs whose agent went unreachable, by task id, with since when: the task may still run or have ended
    /// there, so the run waits for the agent (<see cref="JobsOptions.UnreachableRetryAfter"/>) before it counts as failed.
    /// </summary>
    public Dictionary<string, DateTimeOffset> UnreachableSince { get; set; } = new(StringComparer.Ordinal);
}

namespace OrleansDcos.Scheduling.Jobs;

/// <summary>
/// Chronos' dependent jobs: a job with <c>parents</c> runs once after every parent has succeeded since the job's own
/// last run. Which jobs a success makes ready, and what a set of parent links may not be (a cycle, a missing parent).
/// </summary>
public static class JobGraph
{
    /// <summary>
    /// Whether a dependent job is ready: every parent has a success, and each one is later than the job's last run
    /// started (a parent that succeeded twice still gives one run).
    /// </summary>
    /// <param name="lastRunStarted">When the job's last run started; null when it never ran.</param>
    /// <param name="parentSuccesses">Each parent's last success, null for one that never succeeded.</param>
    public static bool Ready(DateTimeOffset? lastRunStarted, IEnumerable<DateTimeOffset?> parentSuccesses)
    {
        var any = false;
        foreach (var success in parentSuccesses)
        {
            any = true;
            if (success is not { } at || (lastRunStarted is { } started && at <= started))
            {
                return false;
            }
        }

        return any;
    }

    /// <summary>
    /// What is wrong with the jobs' parent links once <paramref name="job"/> has <paramref name="parents"/>: a parent
    /// that does not exist, the job as its own parent, or a cycle (named along its path); null when nothing is.
    /// </summary>
    public static string? Problem(string job, IReadOnlyList<string> parents, IReadOnlyDictionary<string, IReadOnlyList<string>> parentsByJob)
    {
        if (parents.FirstOrDefault(p => p == job) is not null)
        {
            return $"job '{job}' cannot be its own parent";
        }

        if (parents.FirstOrDefault(p => !parentsByJob.ContainsKey(p)) is { } missing)
        {
            return $"parent '{missing}' does not exist";
        }

        var links = new Dictionary<string, IReadOnlyList<string>>(parentsByJob, StringComparer.Ordinal) { [job] = parents };
        return CycleFrom(job, links) is { } cycle ? $"parents would form a cycle: {string.Join(" → ", cycle)}" : null;
    }

    /// <summary>A path of parent links from <paramref name="job"/> back to itself, if there is one.</summary>
    private static List<string>? CycleFrom(string job, IReadOnlyDictionary<string, IReadOnlyList<string>> links)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string> { job };
        return Walk(job) ? path : null;

        bool Walk(string at)
        {
            foreach (var parent in links.GetValueOrDefault(at) ?? [])
            {
                path.Add(parent);
                if (parent == job || (seen.Add(parent) && Walk(parent)))
                {
                    return true;
                }

                path.RemoveAt(path.Count - 1);
            }

            return false;
        }
    }
}

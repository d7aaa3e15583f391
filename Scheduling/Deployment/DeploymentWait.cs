using System.Globalization;

namespace OrleansDcos.Scheduling.Deployment;

/// <summary>
/// Why a deployment action has not finished, in one line an operator can act on (<c>blockedBy</c> in
/// <c>/v2/deployments</c>), from what its app's instances are: the first thing in the way, in the order an action
/// gets past them. Pure.
/// </summary>
public static class DeploymentWait
{
    /// <summary>
    /// The reason, or null when nothing holds the action (it is about to finish). <paramref name="placementProblem"/>
    /// (why the scheduler could not place the app's launches on the last offers) says more than "waiting for offers".
    /// </summary>
    public static string? Explain(WaitFacts f, string? placementProblem = null)
    {
        var parts = new List<string>();
        if (f.Delay > TimeSpan.Zero && f.Pending > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"launches of {f.Pending} instance(s) are delayed {f.Delay.TotalSeconds:0.#} s more after task failures (backoff)"));
        }
        else if (f.Pending > 0)
        {
            parts.Add(placementProblem ?? $"waiting for offers to launch {f.Pending} instance(s)");
        }

        if (f.Starting > 0)
        {
            parts.Add($"{f.Starting} launched instance(s) not running yet");
        }

        if (f.NotHealthy > 0)
        {
            parts.Add($"{f.NotHealthy} new instance(s) not healthy yet");
        }

        if (f.NotReady > 0)
        {
            parts.Add($"{f.NotReady} new instance(s) not ready yet (readiness check)");
        }

        if (f.Killing > 0)
        {
            parts.Add($"waiting for {f.Killing} killed task(s) to end");
        }

        if (f.Old > 0)
        {
            parts.Add($"{f.Old} old instance(s) left to replace");
        }

        if (f.Unreachable > 0)
        {
            parts.Add($"{f.Unreachable} instance(s) on unreachable agents");
        }

        if (parts.Count == 0 && f.Ready < f.Target)
        {
            parts.Add($"{f.Ready} of {f.Target} instance(s) ready");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}

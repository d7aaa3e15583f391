using System.Globalization;

namespace OrleansDcos.Scheduling.Deployment;

/// <summary>What an app's instances are, as far as a deployment action waits on them.</summary>
/// <param name="Target">Instances the action converges to (0 for a stop).</param>
/// <param name="Ready">Live instances of the target version that count for the deployment (healthy, ready).</param>
/// <param name="Starting">Instances of the target version launched but not running yet.</param>
/// <param name="NotHealthy">Running instances of the target version not healthy yet.</param>
/// <param name="NotReady">Healthy instances of the target version that have not passed the readiness check.</param>
/// <param name="Old">Live instances of an older version still to be replaced.</param>
/// <param name="Killing">Instances killed and not ended yet.</param>
/// <param name="Unreachable">Instances on unreachable agents.</param>
/// <param name="Pending">Launches asked of the scheduler and not made yet.</param>
/// <param name="DelaySeconds">Seconds launches are still held back after failures (backoff), 0 when none.</param>
public readonly record struct WaitFacts(
    int Target, int Ready, int Starting, int NotHealthy, int NotReady, int Old, int Killing, int Unreachable, int Pending, double DelaySeconds);

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
        if (f.DelaySeconds > 0 && f.Pending > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"launches of {f.Pending} instance(s) are delayed {f.DelaySeconds:0.#} s more after task failures (backoff)"));
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

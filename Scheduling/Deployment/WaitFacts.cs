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
/// <param name="Delay">How long launches are still held back after failures (backoff), zero when not.</param>
public readonly record struct WaitFacts(
    int Target, int Ready, int Starting, int NotHealthy, int NotReady, int Old, int Killing, int Unreachable, int Pending, TimeSpan Delay);

namespace OrleansDcos.Grains.Jobs;

/// <summary>What became of a run (<see cref="JobRun.State"/>).</summary>
public static class JobRunStates
{
    /// <summary>Waiting for an offer.</summary>
    public const string Queued = "queued";

    /// <summary>Launched; the agent has not said it runs yet.</summary>
    public const string Staging = "staging";

    /// <summary>Its task runs.</summary>
    public const string Running = "running";

    /// <summary>An async job's task finished; the job has not reported success yet (<c>PUT /job/success/{name}</c>).</summary>
    public const string Finishing = "finishing";

    /// <summary>It succeeded.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>It failed on its last attempt.</summary>
    public const string Failed = "failed";

    /// <summary>Not run: later than epsilon after its due time, or the previous run was still alive.</summary>
    public const string Skipped = "skipped";

    /// <summary>Whether a run in <paramref name="state"/> is over.</summary>
    public static bool IsOver(string state) => state is Succeeded or Failed or Skipped;
}

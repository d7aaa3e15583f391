namespace OrleansDcos.Grains.Jobs;

/// <summary>
/// What Chronos' scheduler keeps across failovers: every task it launched whose job has not yet recorded a status of
/// it. Written once per round of offers, before the round's ACCEPTs, so a run is never launched twice — a job that
/// comes back with a run it does not know launched is told, not launched again — at one write per round instead of
/// one per run.
/// </summary>
public sealed class ChronosSchedulerState
{
    /// <summary>Launched tasks by job, then by task id.</summary>
    public Dictionary<string, Dictionary<string, LaunchedTask>> Launched { get; set; } = new(StringComparer.Ordinal);
}

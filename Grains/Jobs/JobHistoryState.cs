namespace OrleansDcos.Grains.Jobs;

/// <summary>
/// A job's history, kept apart from its state: it is written when a run ends or is skipped, never on the way to a
/// launch, so a job's hot writes (a run's statuses) stay small however long its history is.
/// </summary>
public sealed class JobHistoryState
{
    /// <summary>Finished and skipped runs, newest first (bounded).</summary>
    public List<JobRun> Runs { get; set; } = [];

    /// <summary>How long recent successful runs took (seconds, newest last, bounded).</summary>
    public List<double> SuccessSeconds { get; set; } = [];
}

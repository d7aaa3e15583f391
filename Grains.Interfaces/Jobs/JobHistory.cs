using Orleans;

namespace OrleansDcos.Grains.Jobs;

/// <summary>A job's kept runs, newest first (bounded), and the durations of its successful runs for its statistics.</summary>
[GenerateSerializer]
[Alias("dcos.JobHistory")]
public sealed record JobHistory(IReadOnlyList<JobRun> Runs, IReadOnlyList<double> SuccessSeconds);

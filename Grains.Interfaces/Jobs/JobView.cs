using Orleans;

namespace OrleansDcos.Grains.Jobs;

/// <summary>A job as the API shows it: its definition, Chronos' counters, the run in progress and the next due times.</summary>
[GenerateSerializer]
[Alias("dcos.JobView")]
public sealed record JobView(
    JobDefinition Definition,
    int SuccessCount,
    int ErrorCount,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? LastError,
    int ErrorsSinceLastSuccess,
    long SkippedCount,
    JobRun? Current,
    IReadOnlyList<DateTimeOffset> NextDue);

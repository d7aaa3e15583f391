using Orleans;

namespace OrleansDcos.Grains.Jobs;

/// <summary>A run's task waiting for an offer at the Chronos scheduler.</summary>
[GenerateSerializer]
[Alias("dcos.JobLaunch")]
public sealed record JobLaunch(string TaskId, JobDefinition Job, IReadOnlyList<string>? Arguments, DateTimeOffset Since);

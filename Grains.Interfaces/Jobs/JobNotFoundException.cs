using Orleans;

namespace OrleansDcos.Grains.Jobs;

/// <summary>No job has that name (404).</summary>
[GenerateSerializer]
[Alias("dcos.JobNotFoundException")]
public sealed class JobNotFoundException(string message) : Exception(message);

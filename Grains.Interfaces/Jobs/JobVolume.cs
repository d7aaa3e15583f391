using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Jobs;

/// <summary>A host path mounted into a job's Docker container.</summary>
[GenerateSerializer]
[Alias("dcos.JobVolume")]
public sealed record JobVolume(
    [property: JsonPropertyName("containerPath")] string ContainerPath,
    [property: JsonPropertyName("hostPath")] string HostPath,
    [property: JsonPropertyName("mode")] string Mode = "RW");

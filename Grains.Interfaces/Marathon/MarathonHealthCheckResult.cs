using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>A task's health check result.</summary>
[GenerateSerializer]
[Alias("dcos.MarathonHealthCheckResult")]
public sealed record MarathonHealthCheckResult(
    [property: JsonPropertyName("alive")] bool Alive,
    [property: JsonPropertyName("taskId")] string TaskId);

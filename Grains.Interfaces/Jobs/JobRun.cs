using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Jobs;

/// <summary>
/// One run of a job: its identity is the job and <see cref="Due"/> (recorded before its task is launched), its
/// <see cref="Attempt"/> counts retries, and <see cref="TaskId"/> follows from the three.
/// </summary>
[GenerateSerializer]
[Alias("dcos.JobRun")]
public sealed record JobRun(
    [property: JsonPropertyName("due")] DateTimeOffset Due,
    [property: JsonPropertyName("trigger")] string Trigger,
    [property: JsonPropertyName("attempt")] int Attempt,
    [property: JsonPropertyName("taskId")] string TaskId,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("startedAt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? StartedAt = null,
    [property: JsonPropertyName("finishedAt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? FinishedAt = null,
    [property: JsonPropertyName("agentId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AgentId = null,
    [property: JsonPropertyName("host"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Host = null,
    [property: JsonPropertyName("message"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null,
    [property: JsonPropertyName("arguments"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Arguments = null,
    [property: JsonPropertyName("launched")] bool Launched = false)
{
    /// <summary>A run the schedule made.</summary>
    public const string Scheduled = "schedule";

    /// <summary>A run asked for (<c>PUT /job/{name}</c>).</summary>
    public const string Manual = "manual";

    /// <summary>A run its parents' successes made.</summary>
    public const string Dependency = "dependency";
}

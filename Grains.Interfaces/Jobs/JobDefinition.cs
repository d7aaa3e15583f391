using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Jobs;

/// <summary>
/// A Chronos job, as Chronos' JSON names it: a scheduled job has <see cref="Schedule"/> (an ISO 8601 repeating
/// interval, or a cron expression), a dependent job <see cref="Parents"/>; Chronos' defaults where a field is left out.
/// The schedule is kept as read, with an empty interval start filled in with the time it was read (as Chronos does).
/// <see cref="Labels"/> is this project's addition (Chronos has none): what installed a job, as Marathon apps carry it.
/// </summary>
[GenerateSerializer]
[Alias("dcos.JobDefinition")]
public sealed record JobDefinition(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("command")] string Command,
    [property: JsonPropertyName("shell")] bool Shell = true,
    [property: JsonPropertyName("arguments")] IReadOnlyList<string>? Arguments = null,
    [property: JsonPropertyName("schedule"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Schedule = null,
    [property: JsonPropertyName("scheduleTimeZone"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ScheduleTimeZone = null,
    [property: JsonPropertyName("parents"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Parents = null,
    [property: JsonPropertyName("epsilon")] string Epsilon = JobDefinition.DefaultEpsilon,
    [property: JsonPropertyName("retries")] int Retries = 2,
    [property: JsonPropertyName("owner")] string Owner = "",
    [property: JsonPropertyName("ownerName")] string OwnerName = "",
    [property: JsonPropertyName("description")] string Description = "",
    [property: JsonPropertyName("async")] bool Async = false,
    [property: JsonPropertyName("cpus")] double Cpus = 0.1,
    [property: JsonPropertyName("mem")] double Mem = 128,
    [property: JsonPropertyName("disk")] double Disk = 256,
    [property: JsonPropertyName("disabled")] bool Disabled = false,
    [property: JsonPropertyName("concurrent")] bool Concurrent = false,
    [property: JsonPropertyName("container"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JobContainer? Container = null,
    [property: JsonPropertyName("environmentVariables")] IReadOnlyList<JobVariable>? EnvironmentVariables = null,
    [property: JsonPropertyName("constraints")] IReadOnlyList<IReadOnlyList<string>>? Constraints = null,
    [property: JsonPropertyName("maxCompletionTime")] long MaxCompletionTimeMs = 0,
    [property: JsonPropertyName("fetch")] IReadOnlyList<JobFetch>? Fetch = null,
    [property: JsonPropertyName("highPriority")] bool HighPriority = false,
    [property: JsonPropertyName("softError")] bool SoftError = false,
    [property: JsonPropertyName("dataProcessingJobType")] bool DataProcessingJobType = false,
    [property: JsonPropertyName("runAsUser"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RunAsUser = null,
    [property: JsonPropertyName("labels"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Labels = null)
{
    /// <summary>Chronos' default late-start window: a minute.</summary>
    public const string DefaultEpsilon = "PT60S";
}

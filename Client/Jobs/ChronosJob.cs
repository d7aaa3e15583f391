using System.Text.Json;
using OrleansDcos.Grains.Jobs;

namespace OrleansDcos.Client.Jobs;

/// <summary>A job as <c>/v1/scheduler</c> shows it: its definition, Chronos' counters, the next due times and the run in progress.</summary>
public sealed record ChronosJob(
    JobDefinition Definition,
    int SuccessCount,
    int ErrorCount,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? LastError,
    int ErrorsSinceLastSuccess,
    long SkippedCount,
    IReadOnlyList<DateTimeOffset> NextDue,
    JobRun? CurrentRun)
{
    /// <summary>Reads one job of the API's JSON.</summary>
    public static ChronosJob Read(JsonElement json, JsonSerializerOptions options) => new(
        json.Deserialize<JobDefinition>(options)!,
        json.GetProperty("successCount").GetInt32(),
        json.GetProperty("errorCount").GetInt32(),
        Time(json.GetProperty("lastSuccess").GetString()),
        Time(json.GetProperty("lastError").GetString()),
        json.GetProperty("errorsSinceLastSuccess").GetInt32(),
        json.GetProperty("skippedCount").GetInt64(),
        [.. json.GetProperty("nextDue").EnumerateArray().Select(d => Time(d.GetString())!.Value)],
        json.TryGetProperty("currentRun", out var run) ? run.Deserialize<JobRun>(options) : null);

    private static DateTimeOffset? Time(string? text) =>
        string.IsNullOrEmpty(text) ? null : DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}

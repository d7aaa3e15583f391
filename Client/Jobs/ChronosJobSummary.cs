using System.Text.Json.Serialization;

namespace OrleansDcos.Client.Jobs;

/// <summary>One entry of <c>/v1/scheduler/jobs/summary</c>: <c>status</c> idle|queued|running, <c>state</c> success|failure|fresh.</summary>
public sealed record ChronosJobSummary(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("schedule")] string Schedule,
    [property: JsonPropertyName("parents")] IReadOnlyList<string> Parents,
    [property: JsonPropertyName("disabled")] bool Disabled);

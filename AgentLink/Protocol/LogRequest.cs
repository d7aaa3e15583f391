using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.AgentLink;

/// <summary>A request for part of a task's stdout or stderr.</summary>
[GenerateSerializer]
[Alias("dcos.LogRequest")]
public sealed record LogRequest(
    [property: JsonPropertyName("request_id")] Guid RequestId,
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("offset")] long Offset,
    [property: JsonPropertyName("length")] int Length);

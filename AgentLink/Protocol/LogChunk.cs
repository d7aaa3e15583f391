using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.AgentLink;

/// <summary>The answer to a <see cref="LogRequest"/>: <see cref="Data"/> from <see cref="Offset"/>, and the file's size now.</summary>
[GenerateSerializer]
[Alias("dcos.LogChunk")]
public sealed record LogChunk(
    [property: JsonPropertyName("request_id")] Guid RequestId,
    [property: JsonPropertyName("offset")] long Offset,
    [property: JsonPropertyName("data")] string Data,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("error")] string? Error = null);

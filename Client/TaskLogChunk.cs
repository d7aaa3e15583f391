namespace OrleansDcos.Client;

/// <summary>Part of a task's log file: <see cref="Data"/> from <see cref="Offset"/>, and the file's <see cref="Size"/> when read.</summary>
public sealed record TaskLogChunk(
    [property: System.Text.Json.Serialization.JsonPropertyName("data")] string Data,
    [property: System.Text.Json.Serialization.JsonPropertyName("offset")] long Offset,
    [property: System.Text.Json.Serialization.JsonPropertyName("size")] long Size);

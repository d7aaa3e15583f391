using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>The last answer of a readiness check.</summary>
[GenerateSerializer]
[Alias("dcos.ReadinessResponse")]
public sealed record ReadinessResponse(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("contentType")] string ContentType,
    [property: JsonPropertyName("body")] string Body);

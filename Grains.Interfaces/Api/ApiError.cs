using System.Text.Json.Serialization;
using Orleans;

namespace OrleansDcos.Grains.Interfaces.Api;

/// <summary>
/// Every API error body: <c>{"message": "...", "details": [{"path": "/cpus", "errors": ["..."]}]}</c>
/// (Marathon's shape). <see cref="Details"/> is empty when the error is not about a field.
/// </summary>
[GenerateSerializer]
[Alias("dcos.ApiError")]
public sealed record ApiError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("details")] IReadOnlyList<ApiErrorDetail> Details)
{
    /// <summary>An error that is not about any one field.</summary>
    public static ApiError Of(string message) => new(message, []);
}

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Interfaces.Api;

namespace OrleansDcos.Client;

/// <summary>The silo answered with an error; <see cref="Error"/> is its <c>{message, details}</c> body.</summary>
public sealed class DcosApiException(HttpStatusCode status, ApiError error)
    : Exception($"{(int)status} {error.Message}")
{
    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The error body.</summary>
    public ApiError Error { get; } = error;

    /// <summary>
    /// The error an answer of <paramref name="status"/> carries: its <c>{message, details}</c> body (Cosmos' <c>{type,
    /// message, data: {errors: [{path, message}]}}</c> read the same way), or its text (the reason phrase when empty) when it
    /// is not one of those — a proxy's page, say.
    /// </summary>
    public static DcosApiException FromAnswer(HttpStatusCode status, string text, string? reason)
    {
        ApiError? error = null;
        try
        {
            var node = JsonNode.Parse(text);
            if (node?["message"] is JsonValue message)
            {
                var details = node["data"]?["errors"] is JsonArray cosmos
                    ? cosmos.OfType<JsonObject>().Select(d => new ApiErrorDetail(d["path"]?.ToString() ?? "/", [d["message"]?.ToString() ?? ""])).ToList()
                    : node["details"] is JsonArray array
                    ? array.OfType<JsonObject>().Select(d => new ApiErrorDetail(
                        d["path"]?.GetValue<string>() ?? "/",
                        d["errors"] is JsonArray errors ? [.. errors.Select(e => e?.ToString() ?? string.Empty)] : [])).ToList()
                    : [];
                error = new ApiError(message.ToString(), details);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not one of ours: the raw text below.
        }

        return new DcosApiException(status, error ?? ApiError.Of(string.IsNullOrWhiteSpace(text) ? reason ?? "error" : text.Trim()));
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Interfaces.Api;

namespace OrleansDcos.Client;

/// <summary>JSON request bodies, and the silo's error answers turned into <see cref="DcosApiException"/>.</summary>
internal static class ApiResponses
{
    /// <summary>A JSON request body.</summary>
    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>Returns when the answer is a success; otherwise throws with the <c>{message, details}</c> body (or the raw text).</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, cancellationToken);
        }
    }

    /// <summary>The error an answer carries: its <c>{message, details}</c> body, or the raw text when it is not one.</summary>
    public static async Task<DcosApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        ApiError? error = null;
        try
        {
            error = JsonSerializer.Deserialize<ApiError>(text);
        }
        catch (JsonException)
        {
            // Not one of ours (a proxy's HTML page, say): keep the raw text as the message.
        }

        return new DcosApiException(response.StatusCode, error ?? ApiError.Of(string.IsNullOrWhiteSpace(text) ? response.ReasonPhrase ?? "error" : text));
    }
}

using System.Text.Json;
using OrleansDcos.Grains.Interfaces.Api;

namespace OrleansDcos.Client;

/// <summary>Turns the silo's error answers into <see cref="DcosApiException"/>.</summary>
internal static class ApiResponses
{
    /// <summary>Returns when the answer is a success; otherwise throws with the <c>{message, details}</c> body (or the raw text).</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

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

        throw new DcosApiException(response.StatusCode, error ?? ApiError.Of(string.IsNullOrWhiteSpace(text) ? response.ReasonPhrase ?? "error" : text));
    }
}

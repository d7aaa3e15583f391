using System.Text;
using System.Text.Json.Nodes;

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

    /// <summary>The error an answer carries (see <see cref="DcosApiException.FromAnswer"/>).</summary>
    public static async Task<DcosApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        DcosApiException.FromAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken), response.ReasonPhrase);
}

using System.Net.Http.Json;
using System.Text.Json;
using OrleansDcos.Grains.Interfaces.Api;
using OrleansDcos.Grains.Interfaces.Marathon;

namespace OrleansDcos.Client;

/// <summary>
/// Typed client of a silo's REST API. Give it an <see cref="HttpClient"/> whose base address is
/// the silo (for example <c>http://127.0.0.1:8080/</c>); errors surface as <see cref="DcosApiException"/>.
/// </summary>
public sealed class DcosClient(HttpClient http)
{
    /// <summary><c>GET /ping</c>: true when the silo answers <c>pong</c>.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("ping", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return (await response.Content.ReadAsStringAsync(cancellationToken)).Trim() == "pong";
    }

    /// <summary><c>GET /v2/info</c>: name, version and leader of the cluster.</summary>
    public async Task<MarathonInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("v2/info", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<MarathonInfo>(cancellationToken)
            ?? throw new DcosApiException(response.StatusCode, ApiError.Of("empty /v2/info answer"));
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
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

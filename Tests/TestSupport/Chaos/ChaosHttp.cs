using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace OrleansDcos.Tests.Support.Chaos;

/// <summary>
/// The soak's HTTP calls, each to a silo picked at random among those up: the status and JSON answer, or no status
/// (0) when nothing came back in time — an outcome the caller must treat as unknown, never as refused.
/// </summary>
public sealed class ChaosHttp(ChaosCluster cluster, Random random) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> with <paramref name="body"/>; status 0 means no answer.</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body, string Text)> SendAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(cluster.AnySilo(random), path.TrimStart('/')));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            JsonNode? parsed = null;
            try
            {
                parsed = text.Length > 0 ? JsonNode.Parse(text) : null;
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON (a plain answer): the text stays.
            }

            return (response.StatusCode, parsed, text);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (0, null, ex.Message);
        }
    }

    /// <summary>Sends until a silo answers with something other than 503 (failing over) or the deadline passes; for reads.</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body, string Text)> ReadAsync(string path, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var answer = await SendAsync(HttpMethod.Get, path);
            if ((answer.Status is not 0 and not HttpStatusCode.ServiceUnavailable) || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(250);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

using System.Net.Http.Json;
using OrleansDcos.Grains.Interfaces.Api;
using OrleansDcos.Grains.Marathon;

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
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
        return (await response.Content.ReadAsStringAsync(cancellationToken)).Trim() == "pong";
    }

    /// <summary><c>GET /v2/info</c>: name, version and leader of the cluster.</summary>
    public async Task<MarathonInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("v2/info", cancellationToken);
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<MarathonInfo>(cancellationToken)
            ?? throw new DcosApiException(response.StatusCode, ApiError.Of("empty /v2/info answer"));
    }

    /// <summary>
    /// <c>GET /api/v1/tasks/{id}/logs/{file}</c>: up to <paramref name="length"/> bytes of a task's stdout or
    /// stderr from <paramref name="offset"/>, read from its sandbox through its agent.
    /// </summary>
    public async Task<TaskLogChunk> ReadTaskLogAsync(string taskId, string file = "stdout", long offset = 0, int length = 65536, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/tasks/{Uri.EscapeDataString(taskId)}/logs/{Uri.EscapeDataString(file)}?offset={offset}&length={length}", cancellationToken);
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<TaskLogChunk>(cancellationToken)
            ?? throw new DcosApiException(response.StatusCode, ApiError.Of("empty log answer"));
    }

    /// <summary>Follows a task's stdout or stderr (like <c>tail -f</c>): yields text as it is written, until cancelled.</summary>
    public async IAsyncEnumerable<string> FollowTaskLogAsync(string taskId, string file = "stdout", TimeSpan? pollInterval = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var offset = 0L;
        while (!cancellationToken.IsCancellationRequested)
        {
            var chunk = await ReadTaskLogAsync(taskId, file, offset, cancellationToken: cancellationToken);
            if (chunk.Data.Length > 0)
            {
                offset = chunk.Offset + System.Text.Encoding.UTF8.GetByteCount(chunk.Data);
                yield return chunk.Data;
                continue;
            }

            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }
}

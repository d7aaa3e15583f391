using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace OrleansDcos.Tests.Support.Marathon;

/// <summary>A plain server-sent-events reader (what a browser's EventSource does), written here so the test checks the wire.</summary>
public static class SseReader
{
    /// <summary>Reads events from <paramref name="url"/> until cancelled; <paramref name="lastEventId"/> resumes after that id.</summary>
    public static async IAsyncEnumerable<SseEvent> ReadAsync(HttpClient http, string url, long? lastEventId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is { } last)
        {
            request.Headers.Add("Last-Event-ID", last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        long? id = null;
        string? type = null;
        string? data = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            if (line is null)
            {
                yield break;
            }

            if (line.Length == 0)
            {
                if (type is not null && data is not null)
                {
                    yield return new SseEvent(id, type, JsonNode.Parse(data)!.AsObject());
                }

                (id, type, data) = (null, null, null);
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }
    }
}

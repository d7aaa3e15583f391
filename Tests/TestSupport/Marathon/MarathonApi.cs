using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace OrleansDcos.Tests.Support.Marathon;

/// <summary>A test's view of Marathon's REST API: raw JSON in and out, and waits with deadlines.</summary>
/// <param name="baseAddress">The silo.</param>
/// <param name="diagnostics">What to add to a failed wait (the silo's log tail).</param>
public sealed class MarathonApi(Uri baseAddress, Func<string>? diagnostics = null) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The HTTP client (for requests the helpers do not cover).</summary>
    public HttpClient Http => _http;

    /// <summary>Sends a request; returns the status and the parsed body (null when empty or not JSON).</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? parsed = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            parsed = JsonNode.Parse(text);
        }

        return (response.StatusCode, parsed, response);
    }

    /// <summary>Sends and requires <paramref name="expected"/>; returns the body.</summary>
    public async Task<JsonNode?> ExpectAsync(HttpStatusCode expected, HttpMethod method, string path, JsonNode? body = null)
    {
        var (status, answer, _) = await SendAsync(method, path, body);
        if (status != expected)
        {
            throw new InvalidOperationException($"{method} {path}: expected {(int)expected}, got {(int)status}: {answer?.ToJsonString()}");
        }

        return answer;
    }

    /// <summary>
    /// As <see cref="ExpectAsync"/>, for a change sent while a silo has just died: a 503 (the cluster failing over, the
    /// change not made) is sent again, as a client does, for up to 30 s.
    /// </summary>
    public async Task<JsonNode?> ExpectThroughFailoverAsync(HttpStatusCode expected, HttpMethod method, string path, JsonNode? body = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var (status, answer, _) = await SendAsync(method, path, body);
            if (status == expected)
            {
                return answer;
            }

            if (status != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{method} {path}: expected {(int)expected}, got {(int)status}: {answer?.ToJsonString()}{Diagnostics()}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>A fixture of <c>Tests/Fixtures/marathon</c> with its id replaced.</summary>
    public static JsonObject Fixture(string name, string id)
    {
        var app = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.MarathonFixtures, name)))!.AsObject();
        app["id"] = id;
        return app;
    }

    /// <summary>Waits until the embedded agent is registered.</summary>
    public Task WaitForAgentsAsync(int count = 1) =>
        Poll.UntilAsync(async () => JsonNode.Parse(await _http.GetStringAsync("/master/slaves"))!["slaves"]!.AsArray().Count >= count,
            TimeSpan.FromSeconds(30), $"{count} agent(s) registered");

    /// <summary>The app (with tasks), or null when it does not exist.</summary>
    public async Task<JsonObject?> AppAsync(string id)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Get, $"/v2/apps{id}");
        return status == HttpStatusCode.NotFound ? null : body!["app"]!.AsObject();
    }

    /// <summary>The app's tasks.</summary>
    public async Task<JsonArray> TasksAsync(string id) =>
        JsonNode.Parse(await _http.GetStringAsync($"/v2/apps{id}/tasks"))!["tasks"]!.AsArray();

    /// <summary>The running deployments.</summary>
    public async Task<JsonArray> DeploymentsAsync() => JsonNode.Parse(await _http.GetStringAsync("/v2/deployments"))!.AsArray();

    /// <summary>Waits until the deployment is done (no longer listed).</summary>
    public async Task WaitForDeploymentAsync(string deploymentId, TimeSpan? timeout = null)
    {
        try
        {
            await Poll.UntilAsync(async () => (await DeploymentsAsync()).All(d => d!["id"]!.GetValue<string>() != deploymentId),
                timeout ?? TimeSpan.FromSeconds(60), () => $"deployment {deploymentId} finished");
        }
        catch (TimeoutException expired)
        {
            throw new TimeoutException(expired.Message + Environment.NewLine + await StateAsync() + Diagnostics(), expired);
        }
    }

    /// <summary>What Marathon says of its deployments, queue and tasks now (to explain a failed wait; never throws).</summary>
    public async Task<string> StateAsync()
    {
        var state = new StringBuilder();
        foreach (var path in new[] { "/v2/deployments", "/v2/queue", "/v2/tasks" })
        {
            try
            {
                state.Append(path).Append(": ").AppendLine(await _http.GetStringAsync(path));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                state.Append(path).Append(": ").AppendLine(ex.Message);
            }
        }

        return state.ToString();
    }

    /// <summary>Waits until the app has exactly <paramref name="running"/> running tasks, <paramref name="healthy"/> of them healthy (all when null), and nothing else.</summary>
    public Task WaitForTasksAsync(string id, int running, int? healthy = null, TimeSpan? timeout = null) =>
        Poll.UntilAsync(async () =>
        {
            var app = await AppAsync(id);
            return app is not null && app["tasks"]!.AsArray().Count == running && app["tasksRunning"]!.GetValue<int>() == running
                && (app["healthChecks"]!.AsArray().Count == 0 || app["tasksHealthy"]!.GetValue<int>() == (healthy ?? running));
        }, timeout ?? TimeSpan.FromSeconds(60), () => $"app {id} has {running} running task(s){Diagnostics()}");

    /// <summary>The diagnostics to add to a failure message.</summary>
    public string Diagnostics() => diagnostics is null ? string.Empty : Environment.NewLine + diagnostics();

    /// <summary>The first host port of each task.</summary>
    public static IReadOnlyList<int> Ports(JsonArray tasks) => tasks.Select(t => t!["ports"]![0]!.GetValue<int>()).ToList();

    /// <summary>Ids of tasks.</summary>
    public static IReadOnlyList<string> Ids(JsonArray tasks) => tasks.Select(t => t!["id"]!.GetValue<string>()).ToList();

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

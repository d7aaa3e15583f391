using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace OrleansDcos.Tests.Support.Jobs;

/// <summary>A test's view of Chronos' <c>/v1/scheduler</c> API: raw JSON in and out, and waits with deadlines.</summary>
/// <param name="baseAddress">The silo.</param>
/// <param name="diagnostics">What to add to a failed wait (the silo's log tail).</param>
public sealed class ChronosApi(Uri baseAddress, Func<string>? diagnostics = null) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>An ISO 8601 UTC time to the millisecond, for schedules that start at a chosen instant.</summary>
    public static string At(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Sends a request; returns the status and the body (parsed when JSON).</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, "/v1/scheduler" + path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonNode.Parse(text) : null);
    }

    /// <summary>Creates or replaces a job: with <c>parents</c> through <c>/dependency</c>, else <c>/iso8601</c>; requires 204.</summary>
    public async Task PutJobAsync(JsonObject job)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, job.ContainsKey("parents") ? "/dependency" : "/iso8601", job);
        if (status != HttpStatusCode.NoContent)
        {
            throw new InvalidOperationException($"creating job {job["name"]}: {(int)status} {body?.ToJsonString()}");
        }
    }

    /// <summary>A job's kept runs, newest first.</summary>
    public async Task<JsonArray> RunsAsync(string name) =>
        JsonNode.Parse(await _http.GetStringAsync($"/v1/scheduler/job/{name}/runs"))!["runs"]!.AsArray();

    /// <summary>A job's runs in <paramref name="state"/>, oldest first.</summary>
    public async Task<List<JsonObject>> RunsAsync(string name, string state) =>
        [.. (await RunsAsync(name)).Select(r => r!.AsObject()).Where(r => r["state"]!.GetValue<string>() == state).Reverse()];

    /// <summary>Waits until the job has at least <paramref name="count"/> runs in <paramref name="state"/>; returns them oldest first.</summary>
    public Task<List<JsonObject>> WaitForRunsAsync(string name, string state, int count, TimeSpan? timeout = null) => PollValue.UntilAsync(
        async () => await RunsAsync(name, state) is { } runs && runs.Count >= count ? runs : null,
        timeout ?? TimeSpan.FromSeconds(30),
        () => $"{count} {state} run(s) of job {name} ({Describe(name)}){Environment.NewLine}{diagnostics?.Invoke()}");

    /// <summary>The job as <c>GET /job/{name}</c> shows it.</summary>
    public async Task<JsonObject> JobAsync(string name) => JsonNode.Parse(await _http.GetStringAsync($"/v1/scheduler/job/{name}"))!.AsObject();

    /// <summary>A time of a run (<c>due</c>, <c>startedAt</c>, <c>finishedAt</c>).</summary>
    public static DateTimeOffset Time(JsonObject run, string name) => DateTimeOffset.Parse(run[name]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private string Describe(string name)
    {
        try
        {
            return RunsAsync(name).GetAwaiter().GetResult().ToJsonString();
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

using System.Net;
using System.Text.Json;
using OrleansDcos.Grains.Jobs;

namespace OrleansDcos.Client.Jobs;

/// <summary>
/// Typed client of the built-in Chronos' API (<c>/v1/scheduler</c>). Give it an <see cref="HttpClient"/> whose base
/// address is any silo; errors surface as <see cref="DcosApiException"/> (400 carries the field details, 404 an unknown job).
/// </summary>
public sealed class ChronosClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Creates or replaces a job: <c>POST /v1/scheduler/dependency</c> when it has parents, else <c>/iso8601</c>.</summary>
    public async Task PutJobAsync(JobDefinition job, CancellationToken cancellationToken = default)
    {
        var path = job.Parents is { Count: > 0 } ? "v1/scheduler/dependency" : "v1/scheduler/iso8601";
        using var response = await http.PostAsync(path, ApiResponses.Json(JsonSerializer.SerializeToNode(job)!), cancellationToken);
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary><c>GET /v1/scheduler/jobs</c>.</summary>
    public async Task<IReadOnlyList<JobView>> ListJobsAsync(CancellationToken cancellationToken = default) =>
        [.. (await GetJsonAsync("v1/scheduler/jobs", cancellationToken)).EnumerateArray().Select(ReadJob)];

    /// <summary><c>GET /v1/scheduler/jobs/search</c> by name, command, or any of name, command, description and owner.</summary>
    public async Task<IReadOnlyList<JobView>> SearchJobsAsync(string? name = null, string? command = null, string? any = null, CancellationToken cancellationToken = default)
    {
        var query = string.Join('&', new[] { ("name", name), ("command", command), ("any", any) }
            .Where(q => q.Item2 is not null).Select(q => $"{q.Item1}={Uri.EscapeDataString(q.Item2!)}"));
        return [.. (await GetJsonAsync("v1/scheduler/jobs/search?" + query, cancellationToken)).EnumerateArray().Select(ReadJob)];
    }

    /// <summary><c>GET /v1/scheduler/jobs/summary</c>.</summary>
    public async Task<IReadOnlyList<ChronosJobSummary>> SummaryAsync(CancellationToken cancellationToken = default) =>
        (await GetJsonAsync("v1/scheduler/jobs/summary", cancellationToken)).GetProperty("jobs").Deserialize<List<ChronosJobSummary>>(Json)!;

    /// <summary><c>GET /v1/scheduler/job/{name}</c>; null when there is no such job.</summary>
    public async Task<JobView?> GetJobAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(JobPath(name), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return ReadJob(await ReadAsync(response, cancellationToken));
    }

    /// <summary><c>GET /v1/scheduler/job/{name}/runs</c>: the kept runs, newest first, skipped ones with why.</summary>
    public async Task<IReadOnlyList<JobRun>> GetRunsAsync(string name, CancellationToken cancellationToken = default) =>
        (await GetJsonAsync(JobPath(name) + "/runs", cancellationToken)).GetProperty("runs").Deserialize<List<JobRun>>(Json)!;

    /// <summary><c>PUT /v1/scheduler/job/{name}</c>: runs the job now, with <paramref name="arguments"/> appended.</summary>
    public Task RunNowAsync(string name, IReadOnlyList<string>? arguments = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, JobPath(name) + (arguments is { Count: > 0 } ? "?arguments=" + Uri.EscapeDataString(string.Join(' ', arguments)) : ""), cancellationToken);

    /// <summary><c>DELETE /v1/scheduler/job/{name}</c> (refused while it is another job's parent).</summary>
    public Task DeleteJobAsync(string name, CancellationToken cancellationToken = default) => SendAsync(HttpMethod.Delete, JobPath(name), cancellationToken);

    /// <summary><c>PUT /v1/scheduler/job/success/{name}</c>: an async job's run succeeded.</summary>
    public Task ReportSuccessAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, "v1/scheduler/job/success/" + Uri.EscapeDataString(name), cancellationToken);

    /// <summary><c>DELETE /v1/scheduler/task/kill/{name}</c>: kills the job's running tasks (the run fails, not retried).</summary>
    public Task KillTasksAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "v1/scheduler/task/kill/" + Uri.EscapeDataString(name), cancellationToken);

    /// <summary><c>GET /v1/scheduler/job/stat/{name}</c>: how long its successful runs took.</summary>
    public async Task<ChronosHistogram> GetStatsAsync(string name, CancellationToken cancellationToken = default) =>
        (await GetJsonAsync("v1/scheduler/job/stat/" + Uri.EscapeDataString(name), cancellationToken)).GetProperty("histogram").Deserialize<ChronosHistogram>(Json)!;

    /// <summary><c>GET /v1/scheduler/graph/csv</c>: <c>node,name,lastState,status</c> and <c>link,parent,child</c> rows.</summary>
    public async Task<string> GetGraphCsvAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("v1/scheduler/graph/csv", cancellationToken);
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    private static string JobPath(string name) => "v1/scheduler/job/" + Uri.EscapeDataString(name);

    /// <summary>A job of the API's JSON: its definition, Chronos' counters (times "" when none), the next due times and the run in progress.</summary>
    private static JobView ReadJob(JsonElement json) => new(
        json.Deserialize<JobDefinition>(Json)!,
        json.GetProperty("successCount").GetInt32(),
        json.GetProperty("errorCount").GetInt32(),
        Time(json.GetProperty("lastSuccess").GetString()),
        Time(json.GetProperty("lastError").GetString()),
        json.GetProperty("errorsSinceLastSuccess").GetInt32(),
        json.GetProperty("skippedCount").GetInt64(),
        json.TryGetProperty("currentRun", out var run) ? run.Deserialize<JobRun>(Json) : null,
        [.. json.GetProperty("nextDue").EnumerateArray().Select(d => Time(d.GetString())!.Value)]);

    private static DateTimeOffset? Time(string? text) =>
        string.IsNullOrEmpty(text) ? null : DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private async Task SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await http.SendAsync(request, cancellationToken);
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
    }

    private async Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
        return (await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken)).RootElement.Clone();
    }
}

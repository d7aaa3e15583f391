using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Marathon;

namespace OrleansDcos.Client.Marathon;

/// <summary>
/// Typed client of the built-in Marathon's REST API (<c>/v2</c>). Give it an <see cref="HttpClient"/> whose base
/// address is any silo; errors surface as <see cref="DcosApiException"/> (422 carries the field details, 409 a
/// locked app, 404 an unknown one).
/// </summary>
public sealed class MarathonClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // ------------------------------------------------------------------ apps

    /// <summary><c>GET /v2/apps</c>, optionally filtered by id substring and label selector, with tasks and last failures when asked.</summary>
    public async Task<IReadOnlyList<MarathonApp>> ListAppsAsync(string? idContains = null, string? label = null, bool embedTasks = false, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (idContains is not null)
        {
            query.Add("id=" + Uri.EscapeDataString(idContains));
        }

        if (label is not null)
        {
            query.Add("label=" + Uri.EscapeDataString(label));
        }

        if (embedTasks)
        {
            query.Add("embed=apps.tasks&embed=apps.lastTaskFailure");
        }

        var json = await GetJsonAsync("v2/apps" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty), cancellationToken);
        return json.GetProperty("apps").EnumerateArray().Select(MarathonApp.Read).ToList();
    }

    /// <summary><c>GET /v2/apps/{id}</c> with its tasks; null when the app does not exist.</summary>
    public async Task<MarathonApp?> GetAppAsync(string appId, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(AppPath(appId), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var json = await ReadAsync(response, cancellationToken);
        return MarathonApp.Read(json.GetProperty("app"));
    }

    /// <summary><c>POST /v2/apps</c>: creates an app (409 when it exists); the answer is the app as created.</summary>
    public Task<MarathonApp> CreateAppAsync(AppDefinition app, CancellationToken cancellationToken = default) =>
        CreateAppAsync(JsonSerializer.SerializeToNode(app)!.AsObject(), cancellationToken);

    /// <summary><c>POST /v2/apps</c> of a definition in Marathon's JSON (defaults filled in by the silo).</summary>
    public async Task<MarathonApp> CreateAppAsync(JsonObject app, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync("v2/apps", ApiResponses.Json(app), cancellationToken);
        return MarathonApp.Read(await ReadAsync(response, cancellationToken));
    }

    /// <summary><c>PUT /v2/apps/{id}</c>: creates or replaces the app; <paramref name="force"/> overrides a running deployment.</summary>
    public Task<DeploymentResult> PutAppAsync(AppDefinition app, bool force = false, CancellationToken cancellationToken = default) =>
        SendForDeploymentAsync(HttpMethod.Put, AppPath(app.Id) + Force(force), JsonSerializer.SerializeToNode(app), cancellationToken);

    /// <summary><c>PATCH /v2/apps/{id}</c>: changes only the fields given (for example <c>{"cmd": "..."}</c>).</summary>
    public Task<DeploymentResult> PatchAppAsync(string appId, JsonObject changes, bool force = false, CancellationToken cancellationToken = default) =>
        SendForDeploymentAsync(HttpMethod.Patch, AppPath(appId) + Force(force), changes, cancellationToken);

    /// <summary>Scales an app to <paramref name="instances"/> (a PATCH of <c>instances</c>).</summary>
    public Task<DeploymentResult> ScaleAppAsync(string appId, int instances, bool force = false, CancellationToken cancellationToken = default) =>
        PatchAppAsync(appId, new JsonObject { ["instances"] = instances }, force, cancellationToken);

    /// <summary><c>POST /v2/apps/{id}/restart</c>: replaces every instance, within the upgrade strategy.</summary>
    public Task<DeploymentResult> RestartAppAsync(string appId, bool force = false, CancellationToken cancellationToken = default) =>
        SendForDeploymentAsync(HttpMethod.Post, AppPath(appId) + "/restart" + Force(force), null, cancellationToken);

    /// <summary><c>DELETE /v2/apps/{id}</c>: stops and removes the app.</summary>
    public Task<DeploymentResult> DeleteAppAsync(string appId, bool force = false, CancellationToken cancellationToken = default) =>
        SendForDeploymentAsync(HttpMethod.Delete, AppPath(appId) + Force(force), null, cancellationToken);

    /// <summary><c>GET /v2/apps/{id}/versions</c>: the kept versions, newest first.</summary>
    public async Task<IReadOnlyList<string>> GetAppVersionsAsync(string appId, CancellationToken cancellationToken = default)
    {
        var json = await GetJsonAsync(AppPath(appId) + "/versions", cancellationToken);
        return json.GetProperty("versions").EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    /// <summary><c>GET /v2/apps/{id}/versions/{version}</c>: the definition as it was in that version.</summary>
    public async Task<AppDefinition> GetAppVersionAsync(string appId, string version, CancellationToken cancellationToken = default) =>
        (await GetJsonAsync($"{AppPath(appId)}/versions/{Uri.EscapeDataString(version)}", cancellationToken)).Deserialize<AppDefinition>()!;

    /// <summary><c>GET /v2/apps/{id}/tasks</c>.</summary>
    public async Task<IReadOnlyList<MarathonTask>> GetAppTasksAsync(string appId, CancellationToken cancellationToken = default) =>
        Tasks(await GetJsonAsync(AppPath(appId) + "/tasks", cancellationToken));

    /// <summary>Kills tasks (<c>POST /v2/tasks/delete</c>); their apps replace them. Returns the tasks killed.</summary>
    public async Task<IReadOnlyList<MarathonTask>> KillTasksAsync(IEnumerable<string> taskIds, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync("v2/tasks/delete", ApiResponses.Json(TaskIds(taskIds)), cancellationToken);
        return Tasks(await ReadAsync(response, cancellationToken));
    }

    /// <summary>
    /// Kills tasks and lowers their apps' instance counts by as many (<c>POST /v2/tasks/delete?scale=true</c>): a
    /// deployment, refused (409) while one holds the apps unless <paramref name="force"/>.
    /// </summary>
    public Task<DeploymentResult> KillTasksAndScaleAsync(IEnumerable<string> taskIds, bool force = false, CancellationToken cancellationToken = default) =>
        SendForDeploymentAsync(HttpMethod.Post, "v2/tasks/delete?scale=true" + (force ? "&force=true" : string.Empty), TaskIds(taskIds), cancellationToken);

    private static JsonObject TaskIds(IEnumerable<string> taskIds) => new() { ["ids"] = new JsonArray(taskIds.Select(id => (JsonNode)id).ToArray()) };

    /// <summary><c>GET /v2/tasks</c>, optionally only <c>running</c>, <c>staging</c> or <c>killing</c> ones.</summary>
    public async Task<IReadOnlyList<MarathonTask>> ListTasksAsync(string? status = null, CancellationToken cancellationToken = default) =>
        Tasks(await GetJsonAsync("v2/tasks" + (status is null ? string.Empty : "?status=" + Uri.EscapeDataString(status)), cancellationToken));

    // ------------------------------------------------------------------ deployments, queue, groups

    /// <summary><c>GET /v2/deployments</c>: running deployments with their steps and, per current action, why it does not progress.</summary>
    public async Task<IReadOnlyList<DeploymentInfo>> ListDeploymentsAsync(CancellationToken cancellationToken = default) =>
        (await GetJsonAsync("v2/deployments", cancellationToken)).Deserialize<List<DeploymentInfo>>(Json)!;

    /// <summary>
    /// <c>DELETE /v2/deployments/{id}</c>: cancels with a rollback (returned: the deployment back) or, with
    /// <paramref name="force"/>, only stops it (null).
    /// </summary>
    public async Task<DeploymentResult?> CancelDeploymentAsync(string deploymentId, bool force = false, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"v2/deployments/{Uri.EscapeDataString(deploymentId)}{Force(force)}", cancellationToken);
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
        return response.StatusCode == HttpStatusCode.Accepted ? null : await response.Content.ReadFromJsonAsync<DeploymentResult>(Json, cancellationToken);
    }

    /// <summary>Waits until the deployment is no longer running (polling every <paramref name="pollInterval"/>, 250 ms by default).</summary>
    public async Task WaitForDeploymentAsync(string deploymentId, TimeSpan timeout, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while ((await ListDeploymentsAsync(deadline.Token)).Any(d => d.Id == deploymentId))
            {
                await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(250), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var blocked = (await ListDeploymentsAsync(cancellationToken)).FirstOrDefault(d => d.Id == deploymentId)?.CurrentActions
                .Select(a => a.BlockedBy).FirstOrDefault(b => b is not null);
            throw new TimeoutException($"deployment {deploymentId} still runs after {timeout}" + (blocked is null ? string.Empty : $": {blocked}"));
        }
    }

    /// <summary><c>GET /v2/queue</c>: instances waiting to launch, with their delay and the last offer-matching outcome.</summary>
    public async Task<IReadOnlyList<MarathonQueueItem>> GetQueueAsync(CancellationToken cancellationToken = default) =>
        (await GetJsonAsync("v2/queue", cancellationToken)).GetProperty("queue").EnumerateArray().Select(MarathonQueueItem.Read).ToList();

    /// <summary><c>DELETE /v2/queue/{id}/delay</c>: launches the app's waiting instances without the backoff delay.</summary>
    public async Task ResetDelayAsync(string appId, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"v2/queue{Canonical(appId)}/delay", cancellationToken);
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary><c>GET /v2/groups/{id}</c>: the group tree (Marathon's JSON); null when the group does not exist.</summary>
    public async Task<JsonObject?> GetGroupAsync(string groupId = "/", CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("v2/groups" + (Canonical(groupId) is "/" ? string.Empty : Canonical(groupId)), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return JsonNode.Parse((await ReadAsync(response, cancellationToken)).GetRawText())!.AsObject();
    }

    /// <summary><c>PUT /v2/groups/{id}</c>: makes the group exactly <paramref name="group"/> (apps it leaves out are removed).</summary>
    public Task<DeploymentResult> PutGroupAsync(JsonObject group, bool force = false, CancellationToken cancellationToken = default)
    {
        var id = group["id"]?.GetValue<string>() ?? "/";
        return SendForDeploymentAsync(HttpMethod.Put, "v2/groups" + (Canonical(id) is "/" ? string.Empty : Canonical(id)) + Force(force), group, cancellationToken);
    }

    /// <summary><c>DELETE /v2/groups/{id}</c>: removes every app under the group, dependents first.</summary>
    public Task<DeploymentResult> DeleteGroupAsync(string groupId, bool force = false, CancellationToken cancellationToken = default) =>
        SendForDeploymentAsync(HttpMethod.Delete, "v2/groups" + Canonical(groupId) + Force(force), null, cancellationToken);

    // ------------------------------------------------------------------ events and metrics

    /// <summary>
    /// Follows <c>/v2/events</c> (server-sent events), only <paramref name="eventTypes"/> when given, from after event
    /// <paramref name="afterEventId"/> when given (else from now). A dropped connection is opened again with
    /// <c>Last-Event-ID</c>, so no event is missed; when the silo no longer keeps the events to resume from, the
    /// <c>event_stream_detached</c> it sends is the last item.
    /// </summary>
    public async IAsyncEnumerable<MarathonEventMessage> EventsAsync(IEnumerable<string>? eventTypes = null, long? afterEventId = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var types = eventTypes?.ToList() ?? [];
        var last = afterEventId;
        while (!cancellationToken.IsCancellationRequested)
        {
            EventReader? reader = null;
            try
            {
                reader = await EventReader.OpenAsync(http, types, last, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // The silo is away: try again.
            }

            if (reader is not null)
            {
                try
                {
                    while (true)
                    {
                        MarathonEventMessage? next;
                        try
                        {
                            next = await reader.ReadAsync(cancellationToken);
                        }
                        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
                        {
                            next = null;
                        }

                        if (next is null)
                        {
                            break;
                        }

                        last = next.Id ?? last;
                        yield return next;
                        if (next.EventType == MarathonEventStream.StreamDetached && next.Id is null && last is not null)
                        {
                            yield break;
                        }
                    }
                }
                finally
                {
                    reader.Dispose();
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary><c>GET /metrics</c>: Marathon's metrics (Dropwizard JSON: <c>gauges</c> with <c>value</c>, <c>counters</c> with <c>count</c>).</summary>
    public async Task<MarathonMetricsSnapshot> GetMetricsAsync(CancellationToken cancellationToken = default)
    {
        var json = await GetJsonAsync("metrics", cancellationToken);
        static IReadOnlyDictionary<string, double> Section(JsonElement section, string field) =>
            section.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty(field).GetDouble(), StringComparer.Ordinal);
        return new MarathonMetricsSnapshot(Section(json.GetProperty("gauges"), "value"), Section(json.GetProperty("counters"), "count"));
    }

    // ------------------------------------------------------------------ plumbing

    private async Task<DeploymentResult> SendForDeploymentAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : ApiResponses.Json(body) };
        using var response = await http.SendAsync(request, cancellationToken);
        return (await ReadAsync(response, cancellationToken)).Deserialize<DeploymentResult>(Json)!;
    }

    private async Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return document.RootElement.Clone();
    }

    private static IReadOnlyList<MarathonTask> Tasks(JsonElement json) =>
        json.GetProperty("tasks").Deserialize<List<MarathonTask>>(Json)!;

    private static string Force(bool force) => force ? "?force=true" : string.Empty;

    private static string Canonical(string id) => "/" + id.Trim('/');

    private static string AppPath(string appId) => "v2/apps" + Canonical(appId);

    /// <summary>One open <c>/v2/events</c> response, read event by event.</summary>
    private sealed class EventReader : IDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private EventReader(HttpResponseMessage response, Stream body)
        {
            _response = response;
            _reader = new StreamReader(body, Encoding.UTF8);
        }

        public static async Task<EventReader> OpenAsync(HttpClient http, IReadOnlyList<string> types, long? after, CancellationToken cancellationToken)
        {
            var path = "v2/events" + (types.Count > 0 ? "?event_type=" + string.Join(",", types.Select(Uri.EscapeDataString)) : string.Empty);
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("text/event-stream");
            if (after is { } id)
            {
                request.Headers.Add("Last-Event-ID", id.ToString(CultureInfo.InvariantCulture));
            }

            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            try
            {
                await ApiResponses.EnsureSuccessAsync(response, cancellationToken);
                return new EventReader(response, await response.Content.ReadAsStreamAsync(cancellationToken));
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        /// <summary>The next event; null when the stream ended.</summary>
        public async Task<MarathonEventMessage?> ReadAsync(CancellationToken cancellationToken)
        {
            long? id = null;
            string? type = null;
            var data = new StringBuilder();
            while (await _reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    if (type is not null || data.Length > 0)
                    {
                        return new MarathonEventMessage(id, type ?? "message", JsonNode.Parse(data.ToString())!.AsObject());
                    }

                    continue;
                }

                if (line.StartsWith(':'))
                {
                    continue; // keep-alive comment
                }

                var colon = line.IndexOf(':');
                var field = colon < 0 ? line : line[..colon];
                var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
                switch (field)
                {
                    case "id":
                        id = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                        break;
                    case "event":
                        type = value;
                        break;
                    case "data":
                        data.Append(data.Length > 0 ? "\n" : string.Empty).Append(value);
                        break;
                }
            }

            return null;
        }

        public void Dispose()
        {
            _reader.Dispose();
            _response.Dispose();
        }
    }
}

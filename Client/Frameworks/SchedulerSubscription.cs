using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;

namespace OrleansDcos.Client.Frameworks;

/// <summary>
/// A subscribed framework: its id, the event stream, and the calls it makes on it. Disposing it closes the
/// stream (the master then starts the framework's failover timeout).
/// </summary>
public sealed class SchedulerSubscription : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;

    internal SchedulerSubscription(HttpClient http, HttpResponseMessage response, Stream body, string frameworkId, string streamId, double heartbeatSeconds)
    {
        _http = http;
        _response = response;
        _body = body;
        FrameworkId = frameworkId;
        StreamId = streamId;
        HeartbeatInterval = TimeSpan.FromSeconds(heartbeatSeconds);
    }

    /// <summary>The framework's id (keep it to fail over).</summary>
    public string FrameworkId { get; }

    /// <summary>The stream id (<c>Mesos-Stream-Id</c>) every call names.</summary>
    public string StreamId { get; }

    /// <summary>How often the master sends HEARTBEAT when nothing else happens.</summary>
    public TimeSpan HeartbeatInterval { get; }

    /// <summary>
    /// The events as they arrive: OFFERS, RESCIND, UPDATE, FAILURE, ERROR (heartbeats are consumed here). Ends
    /// when the master closes the stream (after an ERROR) or the connection breaks; read it from one place.
    /// </summary>
    public async IAsyncEnumerable<FrameworkEvent> Events([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            JsonObject? record;
            try
            {
                record = await RecordIo.ReadAsync(_body, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException)
            {
                yield break;
            }

            if (record is null)
            {
                yield break;
            }

            if (ToEvent(record) is { } @event)
            {
                yield return @event;
            }
        }
    }

    /// <summary>ACCEPT: runs <paramref name="operations"/> on <paramref name="offerIds"/> (all on one agent); the rest is filtered for <paramref name="refuseSeconds"/>.</summary>
    public Task AcceptAsync(IEnumerable<string> offerIds, IEnumerable<OfferOperation> operations, double? refuseSeconds = null, CancellationToken cancellationToken = default)
    {
        var accept = new JsonObject
        {
            ["offer_ids"] = MesosIdJson.ArrayOf(offerIds),
            ["operations"] = new JsonArray([.. operations.Select(o => (JsonNode)MesosTaskInfoJson.WriteOperation(o))]),
        };
        AddFilters(accept, refuseSeconds);
        return CallAsync("ACCEPT", accept, cancellationToken);
    }

    /// <summary>Launches <paramref name="tasks"/> on one offer.</summary>
    public Task LaunchAsync(OfferInfo offer, IReadOnlyList<TaskSpec> tasks, double? refuseSeconds = null, CancellationToken cancellationToken = default) =>
        AcceptAsync([offer.OfferId], [new OfferOperation(OfferOperationTypes.Launch, tasks)], refuseSeconds, cancellationToken);

    /// <summary>DECLINE, filtered for <paramref name="refuseSeconds"/> (Mesos: 5 s by default).</summary>
    public Task DeclineAsync(IEnumerable<string> offerIds, double? refuseSeconds = null, CancellationToken cancellationToken = default)
    {
        var decline = new JsonObject { ["offer_ids"] = MesosIdJson.ArrayOf(offerIds) };
        AddFilters(decline, refuseSeconds);
        return CallAsync("DECLINE", decline, cancellationToken);
    }

    /// <summary>KILL, with a grace period that overrides the task's kill policy.</summary>
    public Task KillAsync(string taskId, string? agentId = null, TimeSpan? gracePeriod = null, CancellationToken cancellationToken = default)
    {
        var kill = new JsonObject { ["task_id"] = MesosIdJson.Of(taskId) };
        if (agentId is not null)
        {
            kill["agent_id"] = MesosIdJson.Of(agentId);
        }

        if (gracePeriod is { } grace)
        {
            kill["kill_policy"] = new JsonObject { ["grace_period"] = new JsonObject { ["nanoseconds"] = (long)(grace.TotalMilliseconds * 1_000_000) } };
        }

        return CallAsync("KILL", kill, cancellationToken);
    }

    /// <summary>ACKNOWLEDGE an update (those without a uuid need none: this does nothing for them).</summary>
    public Task AcknowledgeAsync(TaskStatusEvent update, CancellationToken cancellationToken = default) =>
        update.Status.Uuid == Guid.Empty || update.AgentId.Length == 0
            ? Task.CompletedTask
            : CallAsync("ACKNOWLEDGE", new JsonObject
            {
                ["agent_id"] = MesosIdJson.Of(update.AgentId),
                ["task_id"] = MesosIdJson.Of(update.Status.TaskId),
                ["uuid"] = MesosIdJson.UuidOf(update.Status.Uuid),
            }, cancellationToken);

    /// <summary>RECONCILE the named tasks, or every task the master knows when none is named.</summary>
    public Task ReconcileAsync(IEnumerable<ReconcileTask>? tasks = null, CancellationToken cancellationToken = default) =>
        CallAsync("RECONCILE", new JsonObject
        {
            ["tasks"] = new JsonArray((tasks ?? []).Select(t =>
            {
                var task = new JsonObject { ["task_id"] = MesosIdJson.Of(t.TaskId) };
                if (t.AgentId is not null)
                {
                    task["agent_id"] = MesosIdJson.Of(t.AgentId);
                }

                return (JsonNode)task;
            }).ToArray()),
        }, cancellationToken);

    /// <summary>SUPPRESS offers (for <paramref name="roles"/>, or all).</summary>
    public Task SuppressAsync(IEnumerable<string>? roles = null, CancellationToken cancellationToken = default) =>
        CallAsync("SUPPRESS", Roles(roles), cancellationToken);

    /// <summary>REVIVE offers and clear filters (for <paramref name="roles"/>, or all).</summary>
    public Task ReviveAsync(IEnumerable<string>? roles = null, CancellationToken cancellationToken = default) =>
        CallAsync("REVIVE", Roles(roles), cancellationToken);

    /// <summary>TEARDOWN: the framework ends and its tasks are killed.</summary>
    public Task TeardownAsync(CancellationToken cancellationToken = default) => CallAsync("TEARDOWN", null, cancellationToken);

    /// <summary>Closes the event stream.</summary>
    public async ValueTask DisposeAsync()
    {
        await _body.DisposeAsync();
        _response.Dispose();
    }

    private async Task CallAsync(string type, JsonObject? body, CancellationToken cancellationToken)
    {
        var call = new JsonObject { ["type"] = type, ["framework_id"] = MesosIdJson.Of(FrameworkId) };
        if (body is not null)
        {
            call[type.ToLowerInvariant()] = body;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/scheduler") { Content = ApiResponses.Json(call) };
        request.Headers.Add("Mesos-Stream-Id", StreamId);
        using var response = await _http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw await ApiResponses.ErrorAsync(response, cancellationToken);
        }
    }

    private static JsonObject Roles(IEnumerable<string>? roles) => new() { ["roles"] = new JsonArray((roles ?? []).Select(r => (JsonNode)JsonValue.Create(r)).ToArray()) };

    private static void AddFilters(JsonObject call, double? refuseSeconds)
    {
        if (refuseSeconds is { } refuse)
        {
            call["filters"] = new JsonObject { ["refuse_seconds"] = refuse };
        }
    }

    /// <summary>The event of a record, through the Mesos codec (null for HEARTBEAT and types this SDK does not know).</summary>
    private static FrameworkEvent? ToEvent(JsonObject record) => MesosEventJson.Read(JsonSerializer.SerializeToElement(record), "event");
}

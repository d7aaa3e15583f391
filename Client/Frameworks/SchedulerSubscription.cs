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
            ["offer_ids"] = Ids(offerIds),
            ["operations"] = new JsonArray(operations.Select(o => (JsonNode)(o.Type == "LAUNCH_GROUP"
                ? new JsonObject { ["type"] = "LAUNCH_GROUP", ["launch_group"] = new JsonObject { ["task_group"] = new JsonObject { ["tasks"] = TaskInfos(o.Tasks) } } }
                : new JsonObject { ["type"] = "LAUNCH", ["launch"] = new JsonObject { ["task_infos"] = TaskInfos(o.Tasks) } })).ToArray()),
        };
        AddFilters(accept, refuseSeconds);
        return CallAsync("ACCEPT", accept, cancellationToken);
    }

    /// <summary>Launches <paramref name="tasks"/> on one offer.</summary>
    public Task LaunchAsync(OfferInfo offer, IReadOnlyList<TaskSpec> tasks, double? refuseSeconds = null, CancellationToken cancellationToken = default) =>
        AcceptAsync([offer.OfferId], [new OfferOperation("LAUNCH", tasks)], refuseSeconds, cancellationToken);

    /// <summary>DECLINE, filtered for <paramref name="refuseSeconds"/> (Mesos: 5 s by default).</summary>
    public Task DeclineAsync(IEnumerable<string> offerIds, double? refuseSeconds = null, CancellationToken cancellationToken = default)
    {
        var decline = new JsonObject { ["offer_ids"] = Ids(offerIds) };
        AddFilters(decline, refuseSeconds);
        return CallAsync("DECLINE", decline, cancellationToken);
    }

    /// <summary>KILL, with a grace period that overrides the task's kill policy.</summary>
    public Task KillAsync(string taskId, string? agentId = null, TimeSpan? gracePeriod = null, CancellationToken cancellationToken = default)
    {
        var kill = new JsonObject { ["task_id"] = new JsonObject { ["value"] = taskId } };
        if (agentId is not null)
        {
            kill["agent_id"] = new JsonObject { ["value"] = agentId };
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
                ["agent_id"] = new JsonObject { ["value"] = update.AgentId },
                ["task_id"] = new JsonObject { ["value"] = update.Status.TaskId },
                ["uuid"] = Convert.ToBase64String(update.Status.Uuid.ToByteArray()),
            }, cancellationToken);

    /// <summary>RECONCILE the named tasks, or every task the master knows when none is named.</summary>
    public Task ReconcileAsync(IEnumerable<ReconcileTask>? tasks = null, CancellationToken cancellationToken = default) =>
        CallAsync("RECONCILE", new JsonObject
        {
            ["tasks"] = new JsonArray((tasks ?? []).Select(t =>
            {
                var task = new JsonObject { ["task_id"] = new JsonObject { ["value"] = t.TaskId } };
                if (t.AgentId is not null)
                {
                    task["agent_id"] = new JsonObject { ["value"] = t.AgentId };
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
        var call = new JsonObject { ["type"] = type, ["framework_id"] = new JsonObject { ["value"] = FrameworkId } };
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

    private static JsonArray Ids(IEnumerable<string> ids) => new(ids.Select(id => (JsonNode)new JsonObject { ["value"] = id }).ToArray());

    private static JsonObject Roles(IEnumerable<string>? roles) => new() { ["roles"] = new JsonArray((roles ?? []).Select(r => (JsonNode)JsonValue.Create(r)).ToArray()) };

    private static void AddFilters(JsonObject call, double? refuseSeconds)
    {
        if (refuseSeconds is { } refuse)
        {
            call["filters"] = new JsonObject { ["refuse_seconds"] = refuse };
        }
    }

    /// <summary>A JSON array of the master's answer as elements for the Mesos codec (none when absent).</summary>
    private static IEnumerable<JsonElement> Elements(JsonNode? array) =>
        array is null ? [] : JsonSerializer.SerializeToElement(array).EnumerateArray();

    private static JsonArray TaskInfos(IEnumerable<TaskSpec> tasks) => new(tasks.Select(t => (JsonNode)TaskInfo(t)).ToArray());

    private static JsonObject TaskInfo(TaskSpec task)
    {
        var info = new JsonObject
        {
            ["name"] = task.Name,
            ["task_id"] = new JsonObject { ["value"] = task.TaskId },
            ["resources"] = MesosResourceJson.ToJson(task.Resources),
        };
        if (task.Command is { } command)
        {
            var json = new JsonObject { ["shell"] = command.Shell };
            if (command.Value is not null)
            {
                json["value"] = command.Value;
            }

            if (command.Arguments is { Count: > 0 } args)
            {
                json["arguments"] = new JsonArray(args.Select(a => (JsonNode)JsonValue.Create(a)).ToArray());
            }

            if (command.Environment is { Count: > 0 } env)
            {
                json["environment"] = new JsonObject { ["variables"] = new JsonArray(env.Select(kv => (JsonNode)new JsonObject { ["name"] = kv.Key, ["value"] = kv.Value }).ToArray()) };
            }

            if (command.Uris is { Count: > 0 } uris)
            {
                json["uris"] = new JsonArray(uris.Select(u => (JsonNode)new JsonObject
                {
                    ["value"] = u.Value,
                    ["extract"] = u.Extract,
                    ["executable"] = u.Executable,
                    ["cache"] = u.Cache,
                    ["output_file"] = u.OutputFile,
                }).ToArray());
            }

            if (command.User is not null)
            {
                json["user"] = command.User;
            }

            info["command"] = json;
        }

        if (task.Docker is { } docker)
        {
            info["container"] = new JsonObject
            {
                ["type"] = "DOCKER",
                ["docker"] = new JsonObject { ["image"] = docker.Image, ["network"] = "HOST", ["force_pull_image"] = docker.ForcePullImage },
                ["volumes"] = new JsonArray((docker.Volumes ?? []).Select(v => (JsonNode)new JsonObject { ["host_path"] = v.HostPath, ["container_path"] = v.ContainerPath, ["mode"] = v.Mode }).ToArray()),
            };
        }

        if (task.HealthCheck is { } check)
        {
            var json = new JsonObject
            {
                ["type"] = check.Protocol is "HTTPS" ? "HTTP" : check.Protocol,
                ["grace_period_seconds"] = check.GracePeriodSeconds,
                ["interval_seconds"] = check.IntervalSeconds,
                ["timeout_seconds"] = check.TimeoutSeconds,
                ["consecutive_failures"] = check.MaxConsecutiveFailures,
                ["delay_seconds"] = check.DelaySeconds,
            };
            switch (check.Protocol)
            {
                case "HTTP" or "HTTPS":
                    json["http"] = new JsonObject { ["port"] = check.Port ?? 0, ["path"] = check.Path ?? "/", ["scheme"] = check.Protocol == "HTTPS" ? "https" : "http" };
                    break;
                case "TCP":
                    json["tcp"] = new JsonObject { ["port"] = check.Port ?? 0 };
                    break;
                default:
                    json["command"] = new JsonObject { ["value"] = check.Command };
                    break;
            }

            info["health_check"] = json;
        }

        if (task.KillGracePeriodSeconds is { } grace)
        {
            info["kill_policy"] = new JsonObject { ["grace_period"] = new JsonObject { ["nanoseconds"] = (long)(grace * 1e9) } };
        }

        if (task.Labels is { Count: > 0 } labels)
        {
            info["labels"] = new JsonObject { ["labels"] = new JsonArray(labels.Select(kv => (JsonNode)new JsonObject { ["key"] = kv.Key, ["value"] = kv.Value }).ToArray()) };
        }

        return info;
    }

    private static FrameworkEvent? ToEvent(JsonObject record) => record["type"]?.GetValue<string>() switch
    {
        "OFFERS" => new FrameworkEvent(FrameworkEventTypes.Offers, Offers: record["offers"]!["offers"]!.AsArray().Select(o => new OfferInfo(
            o!["id"]!["value"]!.GetValue<string>(),
            o["framework_id"]!["value"]!.GetValue<string>(),
            o["agent_id"]!["value"]!.GetValue<string>(),
            o["hostname"]!.GetValue<string>(),
            o["allocation_info"]?["role"]?.GetValue<string>() ?? "*",
            MesosResourceJson.FromJson(Elements(o["resources"]), "offer.resources"),
            MesosResourceJson.AttributesFromJson(Elements(o["attributes"]), "offer.attributes"))).ToArray()),
        "RESCIND" => new FrameworkEvent(FrameworkEventTypes.Rescind, OfferId: record["rescind"]!["offer_id"]!["value"]!.GetValue<string>()),
        "UPDATE" => new FrameworkEvent(FrameworkEventTypes.Update, Status: Status(record["update"]!["status"]!)),
        "FAILURE" => new FrameworkEvent(FrameworkEventTypes.Failure, AgentId: record["failure"]!["agent_id"]?["value"]?.GetValue<string>()),
        "ERROR" => new FrameworkEvent(FrameworkEventTypes.Error, Message: record["error"]?["message"]?.GetValue<string>()),
        _ => null, // HEARTBEAT, and types this SDK does not know
    };

    private static TaskStatusEvent Status(JsonNode status) => new(
        status["agent_id"]?["value"]?.GetValue<string>() ?? "",
        new TaskStatusUpdate(
            status["task_id"]!["value"]!.GetValue<string>(),
            "",
            Enum.Parse<TaskState>(status["state"]!.GetValue<string>()),
            status["uuid"]?.GetValue<string>() is { } uuid ? new Guid(Convert.FromBase64String(uuid)) : Guid.Empty,
            status["timestamp"]?.GetValue<double>() ?? 0,
            status["reason"]?.GetValue<string>(),
            status["message"]?.GetValue<string>(),
            status["healthy"]?.GetValue<bool>()),
        status["source"]?.GetValue<string>() ?? "");
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Mesos.Protobuf.Scheduler;
using OrleansDcos.Silo.Api;
using static OrleansDcos.Mesos.MesosJsonReader;
using MesosProtobuf = OrleansDcos.Mesos.Protobuf.MesosProtobuf;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// The Mesos v1 scheduler HTTP API, <c>POST /api/v1/scheduler</c>: SUBSCRIBE holds a RecordIO stream of events
/// (<c>&lt;length&gt;\n&lt;message&gt;</c>) with the <c>Mesos-Stream-Id</c> header; every other call names that
/// stream and the framework and is answered 202. Calls and events are JSON or protobuf, negotiated as Mesos does
/// (<see cref="SchedulerMedia"/>); protobuf is transcoded to the JSON the one codec reads (<see cref="MesosProtobuf"/>). Any silo serves any framework: the stream long-polls the
/// framework's grain wherever it lives.
/// </summary>
public static class SchedulerEndpoint
{
    /// <summary>The path.</summary>
    public const string Path = "/api/v1/scheduler";

    /// <summary>The stream header.</summary>
    public const string StreamIdHeader = "Mesos-Stream-Id";

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapScheduler(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, HandleAsync);
        return endpoints;
    }

    private static async Task HandleAsync(HttpContext context, IGrainFactory grains, ILoggerFactory loggers)
    {
        if (SchedulerMedia.BodyIsProtobuf(context.Request) is not { } protobuf)
        {
            await ApiResults.Error(context, StatusCodes.Status415UnsupportedMediaType, $"a call's Content-Type must be {SchedulerMedia.Json} or {MesosProtobuf.MediaType} (is {context.Request.ContentType})");
            return;
        }

        JsonDocument body;
        try
        {
            body = protobuf
                ? JsonSerializer.SerializeToDocument(MesosProtobuf.ToJson(await ReadCallAsync(context)))
                : await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException ex)
        {
            await ApiResults.Error(context, StatusCodes.Status400BadRequest, $"the body is not valid JSON: {ex.Message}");
            return;
        }
        catch (InvalidProtocolBufferException ex)
        {
            await ApiResults.Error(context, StatusCodes.Status400BadRequest, $"the body is not a valid protobuf Call: {ex.Message}");
            return;
        }

        using (body)
        {
            IResult result;
            try
            {
                var call = body.RootElement;
                var type = String(call, "type", "call");
                if (type == "SUBSCRIBE")
                {
                    if (context.Request.Headers.ContainsKey(StreamIdHeader))
                    {
                        throw new BadRequestException($"SUBSCRIBE must not carry the {StreamIdHeader} header (it names a stream SUBSCRIBE opens)");
                    }

                    if (SchedulerMedia.Answer(context.Request) is not { } answer)
                    {
                        await ApiResults.Error(context, StatusCodes.Status406NotAcceptable, $"Accept must allow {SchedulerMedia.Json} or {MesosProtobuf.MediaType}");
                        return;
                    }

                    var info = MesosFrameworkInfoJson.Read(Required(Required(call, "subscribe", "call"), "framework_info", "call.subscribe"), "call.subscribe.framework_info");
                    await SubscribeAsync(context, grains, info, answer == MesosProtobuf.MediaType, loggers.CreateLogger(typeof(SchedulerEndpoint)));
                    return;
                }

                result = await ApiResults.Guard(() => CallAsync(context, grains, call, type));
            }
            catch (Exception ex) when (ex is BadRequestException or MesosJsonException)
            {
                result = ApiResults.Error(StatusCodes.Status400BadRequest, ex.Message);
            }

            await result.ExecuteAsync(context);
        }
    }

    private static async Task<IResult> CallAsync(HttpContext context, IGrainFactory grains, JsonElement call, string type)
    {
        if (!Guid.TryParse(context.Request.Headers[StreamIdHeader].ToString(), out var stream))
        {
            throw new BadRequestException($"the {StreamIdHeader} header (from SUBSCRIBE) is required for {type}");
        }

        var frameworkId = Id(call, "framework_id", "call");
        if (MesosIds.Problem(frameworkId, "call.framework_id") is { } badId)
        {
            throw new BadRequestException(badId);
        }

        var framework = grains.GetGrain<IFrameworkGrain>(frameworkId);
        var access = Security.Access.Of(context);
        if (access.Principal is { } caller && await framework.GetPrincipal() is var owner && owner != caller)
        {
            throw new FrameworkNotSubscribedException($"framework '{frameworkId}' belongs to principal '{owner ?? "(none)"}', not to '{caller}'");
        }

        switch (type)
        {
            case "TEARDOWN":
                await framework.Teardown(stream);
                break;
            case "ACCEPT":
                {
                    var accept = Required(call, "accept", "call");
                    var offerIds = Array(accept, "offer_ids", "call.accept").Select((o, i) => String(o, "value", $"call.accept.offer_ids[{i}]")).ToArray();
                    var operations = Array(accept, "operations", "call.accept").Select((o, i) => MesosTaskInfoJson.ReadOperation(o, $"call.accept.operations[{i}]")).ToArray();
                    foreach (var user in operations.SelectMany(o => o.Tasks).Select(t => t.Command?.User).OfType<string>().Distinct(StringComparer.Ordinal))
                    {
                        access.Demand(Security.MarathonAccess.TaskUser(user), Scheduling.Security.PermissionActions.Create);
                    }

                    await framework.Accept(stream, new AcceptCall(offerIds, operations, Refuse(accept, "call.accept")));
                    break;
                }

            case "DECLINE":
                {
                    var decline = Required(call, "decline", "call");
                    var offerIds = Array(decline, "offer_ids", "call.decline").Select((o, i) => String(o, "value", $"call.decline.offer_ids[{i}]")).ToArray();
                    await framework.Decline(stream, offerIds, Refuse(decline, "call.decline"));
                    break;
                }

            case "REVIVE":
                await framework.Revive(stream, Roles(call, "revive"));
                break;
            case "SUPPRESS":
                await framework.Suppress(stream, Roles(call, "suppress"));
                break;
            case "KILL":
                {
                    var kill = Required(call, "kill", "call");
                    var grace = Optional(kill, "kill_policy", "call.kill") is { } policy && Optional(policy, "grace_period", "call.kill.kill_policy") is { } period
                        ? MesosDurations.FromNanoseconds(OptionalNumber(period, "nanoseconds", "call.kill.kill_policy.grace_period") ?? 0)
                        : null;
                    await framework.Kill(stream, Id(kill, "task_id", "call.kill"), OptionalId(kill, "agent_id", "call.kill"), grace);
                    break;
                }

            case "ACKNOWLEDGE":
                {
                    var ack = Required(call, "acknowledge", "call");
                    await framework.Acknowledge(stream, Id(ack, "agent_id", "call.acknowledge"), Id(ack, "task_id", "call.acknowledge"), Uuid(ack, "uuid", "call.acknowledge"));
                    break;
                }

            case "RECONCILE":
                {
                    var reconcile = Optional(call, "reconcile", "call");
                    var tasks = reconcile is { } r
                        ? Array(r, "tasks", "call.reconcile").Select((t, i) => new ReconcileTask(Id(t, "task_id", $"call.reconcile.tasks[{i}]"), OptionalId(t, "agent_id", $"call.reconcile.tasks[{i}]"))).ToArray()
                        : [];
                    await framework.Reconcile(stream, tasks);
                    break;
                }

            default:
                throw new BadRequestException($"call type {type} is not supported (SUBSCRIBE, TEARDOWN, ACCEPT, DECLINE, REVIVE, SUPPRESS, KILL, ACKNOWLEDGE, RECONCILE are)");
        }

        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static TimeSpan? Refuse(JsonElement call, string path) =>
        Optional(call, "filters", path) is { } filters ? MesosDurations.FromSeconds(OptionalNumber(filters, "refuse_seconds", $"{path}.filters")) : null;

    private static IReadOnlyList<string>? Roles(JsonElement call, string name)
    {
        var roles = Optional(call, name, "call") is { } body ? Strings(body, "roles", $"call.{name}") : [];
        return roles.Count == 0 ? null : roles;
    }

    /// <summary>A protobuf call, read whole (within the server's request size limit).</summary>
    private static async Task<Call> ReadCallAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        buffer.Position = 0;
        return Call.Parser.ParseFrom(buffer);
    }

    private static async Task SubscribeAsync(HttpContext context, IGrainFactory grains, FrameworkInfo info, bool protobuf, ILogger logger)
    {
        if (info.Id is not null && MesosIds.Problem(info.Id, "framework_info.id") is { } badId)
        {
            await ApiResults.Error(context, StatusCodes.Status400BadRequest, badId);
            return;
        }

        // With login on the framework is its caller: its principal is the caller's, and it may take only the roles and
        // run only as the user the caller's grants allow.
        var access = Security.Access.Of(context);
        if (access.Principal is { } caller)
        {
            if (info.Principal is { Length: > 0 } claimed && claimed != caller)
            {
                await ApiResults.Error(context, StatusCodes.Status403Forbidden, $"framework_info.principal '{claimed}' is not the authenticated principal '{caller}'");
                return;
            }

            info = info with { Principal = caller };
            var missing = info.EffectiveRoles.Select(r => ("mesos:framework:role:" + r, Scheduling.Security.PermissionActions.Create))
                .Concat(info.User.Length > 0 ? [(Security.MarathonAccess.TaskUser(info.User), Scheduling.Security.PermissionActions.Create)] : [])
                .Select(need => Scheduling.Security.Authorizer.Missing(access.Grants, need.Item1, need.Item2))
                .FirstOrDefault(m => m is not null);
            if (missing is not null)
            {
                await ApiResults.Error(context, StatusCodes.Status403Forbidden, new Security.AccessDeniedException(missing).Message);
                return;
            }
        }

        var frameworkId = info.Id ?? $"{Guid.NewGuid()}-0000";
        var framework = grains.GetGrain<IFrameworkGrain>(frameworkId);
        Subscription subscription;
        try
        {
            subscription = await framework.Subscribe(info with { Id = frameworkId });
        }
        catch (Exception ex) when (ex is MasterValidationException or FrameworkNotSubscribedException)
        {
            await ApiResults.Error(context, ex is MasterValidationException ? StatusCodes.Status400BadRequest : StatusCodes.Status403Forbidden, ex.Message);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = protobuf ? MesosProtobuf.MediaType : SchedulerMedia.Json;
        context.Response.Headers[StreamIdHeader] = subscription.StreamId.ToString();
        context.Response.Headers.CacheControl = "no-cache";
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        var token = lifetime.Token;
        var heartbeat = subscription.HeartbeatInterval;
        var closedByMaster = false;
        try
        {
            await WriteAsync(context, protobuf, new JsonObject
            {
                ["type"] = "SUBSCRIBED",
                ["subscribed"] = new JsonObject
                {
                    ["framework_id"] = MesosIdJson.Of(frameworkId),
                    ["heartbeat_interval_seconds"] = subscription.HeartbeatInterval.TotalSeconds,
                    ["master_info"] = MasterInfo(context),
                },
            }, token);
            var cursor = 0L;
            while (!token.IsCancellationRequested)
            {
                var batch = await framework.Poll(subscription.StreamId, cursor, heartbeat).WaitAsync(token);
                if (batch.Closed)
                {
                    closedByMaster = true;
                    await WriteAsync(context, protobuf, new JsonObject { ["type"] = "ERROR", ["error"] = new JsonObject { ["message"] = "the subscription ended (the framework subscribed again, or was removed)" } }, token);
                    return;
                }

                foreach (var @event in batch.Events)
                {
                    await WriteAsync(context, protobuf, MesosEventJson.Write(@event), token);
                }

                if (batch.Events.Count == 0)
                {
                    await WriteAsync(context, protobuf, new JsonObject { ["type"] = "HEARTBEAT" }, token);
                }

                cursor = batch.Cursor;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or TimeoutException or SiloUnavailableException)
        {
            LinkLog.FrameworkStreamEnded(logger, frameworkId, subscription.StreamId, ex.Message);
        }
        finally
        {
            if (!closedByMaster)
            {
                try
                {
                    await framework.Disconnected(subscription.StreamId);
                }
                catch (Exception ex)
                {
                    LinkLog.FrameworkNotTold(logger, ex, frameworkId);
                }
            }
        }
    }

    /// <summary>The master the framework is connected to (this silo), as Mesos' <c>MasterInfo</c>.</summary>
    private static JsonObject MasterInfo(HttpContext context)
    {
        return MesosMaster.Self(context.RequestServices.GetRequiredService<Hosting.ClusterLeader>()).Info();
    }

    /// <summary>
    /// Writes one RecordIO record (<c>length\nmessage</c>, the event in JSON or protobuf) as one write and flushes it,
    /// so each record is its own HTTP chunk, as Mesos writes them: simple clients read one record per chunk.
    /// </summary>
    private static async Task WriteAsync(HttpContext context, bool protobuf, JsonObject record, CancellationToken cancellationToken)
    {
        var frame = protobuf ? RecordIo.Frame(MesosProtobuf.FromJson<Event>(record).ToByteArray()) : RecordIo.Frame(record);
        await context.Response.Body.WriteAsync(frame, cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }
}

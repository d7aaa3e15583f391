using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using OrleansDcos.Grains;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Providers.Streams;
using OrleansDcos.Silo.Security;

namespace OrleansDcos.Silo.Marathon;

/// <summary>
/// <c>GET /v2/events</c>: Marathon's event bus as server-sent events, served by any silo from the durable event stream.
/// Each frame carries the event's position in the event log as its <c>id</c>; a client that reconnects with <c>Last-Event-ID</c> (header
/// or <c>?lastEventId=</c>) gets every event after it, none lost (Marathon could not). <c>event_type</c> filters.
/// A comment line every 15 s keeps proxies and clients from timing the connection out.
/// </summary>
public static class MarathonEventEndpoints
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private static readonly ConditionalWeakTable<MarathonEvent, byte[]> Frames = [];

    /// <summary>Maps <c>/v2/events</c>.</summary>
    public static IEndpointRouteBuilder MapMarathonEvents(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v2/events", StreamAsync);
        endpoints.MapGet("/v2/eventSubscriptions", async (IGrainFactory grains) =>
            Results.Json(new { callbackUrls = await Subscriptions(grains).List() }));
        endpoints.MapPost("/v2/eventSubscriptions", (HttpContext context, IGrainFactory grains) => MarathonEndpoints.Guard(async () =>
        {
            var url = CallbackUrl(context);
            await Subscriptions(grains).Subscribe(url, context.Connection.RemoteIpAddress?.ToString());
            return Results.Json(new { eventType = MarathonEventStream.Subscribe, callbackUrl = url, clientIp = context.Connection.RemoteIpAddress?.ToString() });
        }));
        endpoints.MapDelete("/v2/eventSubscriptions", (HttpContext context, IGrainFactory grains) => MarathonEndpoints.Guard(async () =>
        {
            var url = CallbackUrl(context);
            if (!await Subscriptions(grains).Unsubscribe(url, context.Connection.RemoteIpAddress?.ToString()))
            {
                throw new MarathonNotFoundException($"no subscription for callback URL {url}");
            }

            return Results.Json(new { eventType = MarathonEventStream.Unsubscribe, callbackUrl = url, clientIp = context.Connection.RemoteIpAddress?.ToString() });
        }));
        return endpoints;
    }

    private static async Task StreamAsync(HttpContext context)
    {
        var events = context.RequestServices.GetRequiredService<EventLogReader>();
        var types = context.Request.Query["event_type"].SelectMany(t => (t ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        var lastId = context.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header : context.Request.Query["lastEventId"].ToString();
        long? after = null;
        if (lastId.Length > 0)
        {
            if (!long.TryParse(lastId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                await Api.ApiResults.Error(context, StatusCodes.Status400BadRequest, $"Last-Event-ID '{lastId}' is not an event id of this stream (a sequence number)");
                return;
            }

            after = parsed;
        }

        // With login on, a principal that may not read every app sees only the events of apps it may read.
        var access = Access.Of(context);
        var seesAll = access.ReadsApp("/");
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(context.RequestAborted);

        var stream = DcosStreams.MarathonEvents;
        var start = after ?? await events.HeadAsync(MarathonEventStream.ProviderName, stream, context.RequestAborted);
        if (after is null && Wanted(types, MarathonEventStream.StreamAttached))
        {
            var attached = MarathonEvent.Of(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), MarathonEventStream.StreamAttached, new JsonObject { ["remoteAddress"] = context.Connection.RemoteIpAddress?.ToString() });
            await WriteAsync(response, null, attached, context.RequestAborted);
        }

        var channel = Channel.CreateBounded<IReadOnlyList<(MarathonEvent Item, long Position)>>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in events.FollowBatchesAsync<MarathonEvent>(MarathonEventStream.ProviderName, stream, start, stop.Token))
                {
                    await channel.Writer.WriteAsync(batch, stop.Token);
                }

                channel.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                channel.Writer.TryComplete(ex);
            }
        }, CancellationToken.None);

        try
        {
            while (!context.RequestAborted.IsCancellationRequested)
            {
                if (!channel.Reader.TryPeek(out _))
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                    wait.CancelAfter(KeepAlive);
                    bool more;
                    try
                    {
                        more = await channel.Reader.WaitToReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
                    {
                        await response.WriteAsync(": keep-alive\n\n", context.RequestAborted);
                        await response.Body.FlushAsync(context.RequestAborted);
                        continue;
                    }

                    if (!more)
                    {
                        break;
                    }
                }

                while (channel.Reader.TryRead(out var batch))
                {
                    foreach (var (item, position) in batch)
                    {
                        if (Wanted(types, item.EventType) && (seesAll || Readable(item, access)))
                        {
                            await WriteAsync(response, position, item, context.RequestAborted, flush: false);
                        }
                    }
                }

                await response.BodyWriter.FlushAsync(context.RequestAborted);
            }
        }
        catch (StreamPositionNotRetainedException ex)
        {
            // The client asked to resume from before what is kept: say so and end, rather than silently skip events.
            var gone = MarathonEvent.Of(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), MarathonEventStream.StreamDetached, new JsonObject { ["message"] = ex.Message });
            await WriteAsync(response, null, gone, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            await stop.CancelAsync();
            await reader;
        }
    }

    private static IEventSubscriptionsGrain Subscriptions(IGrainFactory grains) => grains.GetGrain<IEventSubscriptionsGrain>(MarathonKeys.Scheduler);

    private static string CallbackUrl(HttpContext context) =>
        context.Request.Query["callbackUrl"].ToString() is { Length: > 0 } url
        && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? url
            : throw MarathonValidationException.Of("/callbackUrl", "callbackUrl must be an absolute http(s) URL");

    private static bool Wanted(HashSet<string> types, string type) => types.Count == 0 || types.Contains(type);

    /// <summary>True when the event names an app or pod (<c>appId</c>, <c>runSpecId</c>, <c>appDefinition.id</c>) the caller may read; events naming none are not shown.</summary>
    private static bool Readable(MarathonEvent item, Access access)
    {
        using var json = System.Text.Json.JsonDocument.Parse(item.Json);
        var root = json.RootElement;
        foreach (var name in (ReadOnlySpan<string>)["appId", "runSpecId"])
        {
            if (root.TryGetProperty(name, out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String)
            {
                return access.ReadsApp(id.GetString()!);
            }
        }

        return root.TryGetProperty("appDefinition", out var app) && app.ValueKind == System.Text.Json.JsonValueKind.Object
            && app.TryGetProperty("id", out var appId) && appId.ValueKind == System.Text.Json.JsonValueKind.String
            && access.ReadsApp(appId.GetString()!);
    }

    private static async Task WriteAsync(HttpResponse response, long? id, MarathonEvent item, CancellationToken cancellationToken, bool flush = true)
    {
        var writer = response.BodyWriter;
        if (id is { } sequence)
        {
            writer.Write("id: "u8);
            var digits = writer.GetSpan(20);
            sequence.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
            writer.Advance(written);
            writer.Write("\n"u8);
        }

        writer.Write(Frames.GetValue(item, Frame));
        if (flush)
        {
            await writer.FlushAsync(cancellationToken);
        }
    }

    /// <summary>An event's <c>event:</c> and <c>data:</c> lines in UTF-8, made once per event however many clients it goes to (followers share the events they read).</summary>
    private static byte[] Frame(MarathonEvent item) => Encoding.UTF8.GetBytes($"event: {item.EventType}\ndata: {item.Json}\n\n");
}

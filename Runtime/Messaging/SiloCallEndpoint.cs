using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Runtime.Directory;
using OrleansDcos.Runtime.Gateway;
using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Runtime.Messaging;

/// <summary>
/// <c>GET /silo/link</c> (WebSocket): grain calls from another silo. Each message's calls are routed at once,
/// in order; each reply — the result, the error, or where the grain lives — is queued when its call
/// completes, and a writer sends whatever replies are queued as one message, so fast calls never wait for
/// slow ones and a burst of replies costs one frame.
/// </summary>
internal static class SiloCallEndpoint
{
    private const int MaxRepliesPerMessage = 512;

    public static async Task HandleLinkAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var network = services.GetRequiredService<SiloNetwork>();
        if (MembershipEndpoints.Dropped(context, network))
        {
            return;
        }

        if (!services.GetRequiredService<ClusterMembership>().IsAdmitting)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("a silo link is a WebSocket", context.RequestAborted);
            return;
        }

        var catalog = services.GetRequiredService<Catalog>();
        var router = services.GetRequiredService<GrainRouter>();
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var cut = network.Cut.Register(socket.Abort);
        var replies = Channel.CreateUnbounded<SiloWire.Reply>(new UnboundedChannelOptions { SingleReader = true });
        var writing = WriteRepliesAsync(socket, replies.Reader);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (await SiloWire.ReceiveAsync(socket, buffer, context.RequestAborted))
            {
                using var calls = JsonDocument.Parse(buffer.WrittenMemory);
                foreach (var element in calls.RootElement.EnumerateArray())
                {
                    Accept(SiloWire.Call.Read(element), catalog, router, replies.Writer);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // The calling silo went away or spoke nonsense: its pending calls fail on its side.
        }
        finally
        {
            replies.Writer.TryComplete();
            await writing;
        }
    }

    private static async Task WriteRepliesAsync(WebSocket socket, ChannelReader<SiloWire.Reply> replies)
    {
        var frame = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (await replies.WaitToReadAsync())
            {
                await Task.Yield(); // calls completing meanwhile join this frame
                frame.ResetWrittenCount();
                using (var writer = new Utf8JsonWriter(frame))
                {
                    writer.WriteStartArray();
                    for (var n = 0; n < MaxRepliesPerMessage && replies.TryRead(out var reply); n++)
                    {
                        reply.Write(writer);
                    }

                    writer.WriteEndArray();
                }

                await socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            // The calling silo went away: it fails its pending calls itself.
        }
    }

    /// <summary>Routes one call; its reply is queued on <paramref name="replies"/> by the thread that completes it.</summary>
    private static void Accept(SiloWire.Call call, Catalog catalog, GrainRouter router, ChannelWriter<SiloWire.Reply> replies)
    {
        if (catalog.Registry.FindCallTarget(call.GrainType, call.Interface, call.Method) is not { } found)
        {
            replies.TryWrite(Error(call.Id, new ArgumentException($"this silo has no grain {call.GrainType} with {call.Interface}.{call.Method}")));
            return;
        }

        GrainRequest request;
        try
        {
            var arguments = new object?[found.Method.Parameters.Count];
            var i = 0;
            foreach (var argument in call.Arguments.EnumerateArray())
            {
                arguments[i] = argument.Deserialize(found.Method.Parameters[i], GrainJson.Options);
                i++;
            }

            request = found.Method.CreateRequest(found.Interface, call.Key, arguments);
        }
        catch (Exception ex) when (ex is JsonException or IndexOutOfRangeException or NotSupportedException)
        {
            replies.TryWrite(Error(call.Id, ex));
            return;
        }

        request.Target = new GrainId(found.Class.GrainType, call.Key);
        request.CallChain = call.ReadChain();
        request.DeadlineMs = Environment.TickCount64 + call.TimeoutMs;
        var id = call.Id;
        var accepted = router.AcceptAsync(request, found.Class, call.Placed);
        if (accepted.IsCompleted)
        {
            Answer(accepted);
        }
        else
        {
            accepted.ContinueWith(Answer, TaskScheduler.Default);
        }

        void Answer(Task<SiloAddress?> routed)
        {
            if (!routed.IsCompletedSuccessfully)
            {
                replies.TryWrite(Error(id, routed.Exception?.InnerException ?? new SiloUnavailableException($"{request.Target} could not be routed")));
                return;
            }

            if (routed.Result is { } winner)
            {
                replies.TryWrite(new SiloWire.Reply(id, null, null, winner.ToString()));
                return;
            }

            request.OnCompleted(completed => replies.TryWrite(Reply(id, completed)));
        }
    }

    /// <summary>The reply for a completed request; a result that cannot be written becomes an error.</summary>
    private static SiloWire.Reply Reply(long id, GrainRequest completed)
    {
        if (completed.ResultTask.Exception is { } failed)
        {
            return Error(id, completed.Exception ?? failed.InnerException ?? failed);
        }

        try
        {
            return new SiloWire.Reply(id, completed.ResultAsUtf8Json(GrainJson.Options), null, null);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return Error(id, new InvalidOperationException($"the result of {completed.Target}.{completed.Method.Method.Name} cannot be sent back: {ex.Message}", ex));
        }
    }

    private static SiloWire.Reply Error(long id, Exception exception) => new(id, null, GatewayExceptions.ToError(exception), null);
}

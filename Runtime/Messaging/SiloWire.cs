using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Runtime.Gateway;

namespace OrleansDcos.Runtime.Messaging;

/// <summary>
/// The silo link's frames. Each WebSocket message is one UTF-8 JSON array: a sender's message holds calls,
/// the receiver's holds replies, each tagged with the id the sender gave the call. Arguments and results are
/// written straight into the frame with their declared types (no intermediate document per value).
/// <code>
/// call:  {"id":7,"g":"grain type","i":"interface","m":"Method(Int32)","k":"key","a":[…],"c":["chain"…],"t":timeoutMs,"p":placed}
/// reply: {"id":7,"r":result} | {"id":7,"e":{"type":"…","message":"…"}} | {"id":7,"f":"host:port:generation"}
/// </code>
/// </summary>
internal static class SiloWire
{
    /// <summary>The WebSocket path of the link.</summary>
    public const string Path = "/silo/link";

    /// <summary>A message larger than this closes the link (a sane bound, not a tuning knob).</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    public static void WriteCall(Utf8JsonWriter writer, long id, GrainRequest request, bool placed)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", id);
        writer.WriteString("g", request.Target.Type);
        writer.WriteString("i", request.InterfaceType.FullName);
        writer.WriteString("m", GrainInterfaceInfo.WireNameOf(request.Method));
        writer.WriteString("k", request.Key);
        writer.WriteStartArray("a");
        for (var i = 0; i < request.Arguments.Length; i++)
        {
            JsonSerializer.Serialize(writer, request.Arguments[i], request.Method.Parameters[i], GrainJson.Options);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("c");
        for (var node = request.CallChain; node is not null; node = node.Next)
        {
            writer.WriteStringValue(node.Grain.ToString());
        }

        writer.WriteEndArray();
        writer.WriteNumber("t", Math.Max(1, request.DeadlineMs - Environment.TickCount64));
        writer.WriteBoolean("p", placed);
        writer.WriteEndObject();
    }

    /// <summary>A call as read from a frame; <see cref="Arguments"/> and <see cref="Chain"/> live as long as the frame's document.</summary>
    public readonly record struct Call(long Id, string GrainType, string Interface, string Method, string Key, JsonElement Arguments, JsonElement Chain, long TimeoutMs, bool Placed)
    {
        public static Call Read(JsonElement call) => new(
            call.GetProperty("id").GetInt64(),
            call.GetProperty("g").GetString()!,
            call.GetProperty("i").GetString()!,
            call.GetProperty("m").GetString()!,
            call.GetProperty("k").GetString()!,
            call.GetProperty("a"),
            call.GetProperty("c"),
            call.GetProperty("t").GetInt64(),
            call.GetProperty("p").GetBoolean());

        /// <summary>The call chain, newest first.</summary>
        public CallChain? ReadChain()
        {
            var grains = Chain.EnumerateArray().Select(e => e.GetString()!).ToArray();
            CallChain? chain = null;
            for (var i = grains.Length - 1; i >= 0; i--)
            {
                chain = new CallChain(GrainId.Parse(grains[i]), chain);
            }

            return chain;
        }
    }

    /// <summary>A reply waiting to be written: exactly one of a result (UTF-8 JSON), an error, or a forward address.</summary>
    public readonly record struct Reply(long Id, byte[]? Result, GatewayError? Error, string? ForwardTo)
    {
        public void Write(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", Id);
            if (ForwardTo is not null)
            {
                writer.WriteString("f", ForwardTo);
            }
            else if (Error is not null)
            {
                writer.WritePropertyName("e");
                JsonSerializer.Serialize(writer, Error, GrainJson.Options);
            }
            else
            {
                writer.WritePropertyName("r");
                writer.WriteRawValue(Result!, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }
    }

    /// <summary>A reply as read from a frame: where the grain lives, or the error, or else the result (lives as long as the frame's document).</summary>
    public readonly record struct Answer(long Id, string? ForwardTo, GatewayError? Error, JsonElement Result)
    {
        public static Answer Read(JsonElement reply) => new(
            reply.GetProperty("id").GetInt64(),
            reply.TryGetProperty("f", out var forward) ? forward.GetString() : null,
            reply.TryGetProperty("e", out var error) ? error.Deserialize<GatewayError>(GrainJson.Options) : null,
            reply.TryGetProperty("r", out var result) ? result : default);
    }

    /// <summary>Reads one whole message into <paramref name="buffer"/> (cleared first); false when the peer closed.</summary>
    public static async Task<bool> ReceiveAsync(WebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        buffer.ResetWrittenCount();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.GetMemory(16 * 1024), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return false;
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > MaxMessageBytes)
            {
                throw new WebSocketException($"a silo link message exceeded {MaxMessageBytes} bytes");
            }

            if (result.EndOfMessage)
            {
                return true;
            }
        }
    }
}

/// <summary>Silo links are WebSockets: the silo's pipeline accepts them first thing.</summary>
internal sealed class SiloLinkStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseWebSockets();
        next(app);
    };
}

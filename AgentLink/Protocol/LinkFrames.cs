using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;

namespace OrleansDcos.AgentLink;

/// <summary>JSON messages over a WebSocket, one text message each: the framing of the agent link (both ends).</summary>
public static class LinkFrames
{
    /// <summary>The largest message accepted (a re-registration of thousands of tasks fits easily).</summary>
    public const int MaxMessageBytes = 64 << 20;

    /// <summary>The buffer a receive starts with (heartbeats and acknowledgements fit).</summary>
    private const int FirstReadBytes = 512;

    /// <summary>Sends <paramref name="message"/> as one text message.</summary>
    public static Task SendAsync<T>(WebSocket socket, T message, CancellationToken cancellationToken) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>The next message, or null when the peer closed the socket.</summary>
    /// <exception cref="JsonException">The message is not valid JSON of <typeparamref name="T"/>, or too large.</exception>
    public static async Task<T?> ReceiveAsync<T>(WebSocket socket, CancellationToken cancellationToken)
        where T : class
    {
        // A link waits for its next message most of the time: that wait holds only a small buffer (10,000 idle
        // links would otherwise keep 16 KB each); a larger message grows it.
        var buffer = new ArrayBufferWriter<byte>(FirstReadBytes);
        while (true)
        {
            var memory = buffer.GetMemory(buffer.WrittenCount == 0 ? FirstReadBytes : 16384);
            var result = await socket.ReceiveAsync(memory, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > MaxMessageBytes)
            {
                throw new JsonException($"a link message is larger than {MaxMessageBytes} bytes");
            }

            if (result.EndOfMessage)
            {
                return JsonSerializer.Deserialize<T>(buffer.WrittenSpan) ?? throw new JsonException("a link message was null");
            }
        }
    }
}

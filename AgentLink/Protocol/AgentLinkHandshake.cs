using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace OrleansDcos.AgentLink;

/// <summary>
/// Recognizes the WebSocket upgrade a node daemon opens its link with (RFC 6455 §4.2.1) from the first bytes of a
/// connection, and answers it. Anything that is not exactly such an upgrade — another path, another method, a body,
/// a sub-protocol, a head too large — is <see cref="HandshakeVerdict.NotALink"/> and goes to the HTTP server as it
/// came, which answers it (or refuses it with the usual JSON error).
/// </summary>
public static class AgentLinkHandshake
{
    /// <summary>The largest request head looked at; a larger one is the HTTP server's to refuse.</summary>
    public const int MaxHeadBytes = 16 * 1024;

    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static readonly byte[] RequestLine = Encoding.ASCII.GetBytes($"GET {AgentLinkProtocol.Path}");
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    /// <summary>Judges the bytes read so far; <paramref name="upgrade"/> is set for <see cref="HandshakeVerdict.Link"/>.</summary>
    public static HandshakeVerdict Inspect(ReadOnlySequence<byte> buffer, out AgentLinkUpgrade? upgrade)
    {
        upgrade = null;
        var prefix = (int)Math.Min(buffer.Length, RequestLine.Length);
        Span<byte> start = stackalloc byte[RequestLine.Length];
        buffer.Slice(0, prefix).CopyTo(start);
        if (!start[..prefix].SequenceEqual(RequestLine.AsSpan(0, prefix)))
        {
            return HandshakeVerdict.NotALink;
        }

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, HeadEnd, advancePastDelimiter: true))
        {
            return buffer.Length >= MaxHeadBytes ? HandshakeVerdict.NotALink : HandshakeVerdict.NeedMore;
        }

        if (reader.Consumed > MaxHeadBytes)
        {
            return HandshakeVerdict.NotALink;
        }

        upgrade = Parse(Encoding.Latin1.GetString(head), (int)reader.Consumed);
        return upgrade is null ? HandshakeVerdict.NotALink : HandshakeVerdict.Link;
    }

    /// <summary>The 101 answer to a request carrying <paramref name="key"/>.</summary>
    public static byte[] SwitchingProtocols(string key) => Encoding.ASCII.GetBytes(
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
        $"Sec-WebSocket-Accept: {AcceptKey(key)}\r\n\r\n");

    /// <summary>Sec-WebSocket-Accept for <paramref name="key"/>: base64(SHA-1(key + the RFC's GUID)).</summary>
    public static string AcceptKey(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WebSocketGuid)));

    private static AgentLinkUpgrade? Parse(string head, int headLength)
    {
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine is not ["GET", var target, "HTTP/1.1"] || !IsLinkTarget(target))
        {
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[0] is ' ' or '\t')
            {
                return null; // malformed, or an obsolete folded header: HTTP refuses it
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            if (!headers.TryAdd(name, value))
            {
                headers[name] = $"{headers[name]}, {value}";
            }
        }

        if (!HasToken(headers, "Upgrade", "websocket") || !HasToken(headers, "Connection", "upgrade")
            || !headers.TryGetValue("Sec-WebSocket-Version", out var version) || version != "13"
            || !headers.TryGetValue("Sec-WebSocket-Key", out var key) || !IsNonce(key)
            || headers.ContainsKey("Content-Length") || headers.ContainsKey("Transfer-Encoding")
            || headers.ContainsKey("Sec-WebSocket-Protocol"))
        {
            return null;
        }

        return new AgentLinkUpgrade(key, headers.GetValueOrDefault("Authorization"), headLength);
    }

    private static bool IsLinkTarget(string target)
    {
        var path = target.Split('?', 2)[0];
        return path.Equals(AgentLinkProtocol.Path, StringComparison.OrdinalIgnoreCase)
            || path.Equals(AgentLinkProtocol.Path + "/", StringComparison.OrdinalIgnoreCase);
    }

    private static bool HasToken(Dictionary<string, string> headers, string name, string token) =>
        headers.TryGetValue(name, out var value)
        && value.Split(',').Any(t => t.Trim().Equals(token, StringComparison.OrdinalIgnoreCase));

    private static bool IsNonce(string key)
    {
        Span<byte> bytes = stackalloc byte[24];
        return Convert.TryFromBase64String(key, bytes, out var written) && written == 16;
    }
}

using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using OrleansDcos.AgentLink;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Integration.Master;

/// <summary>
/// The agent link's WebSocket handshake on a raw TCP connection to a silo: taken below HTTP when it is the
/// connection's first request, through the HTTP server otherwise, and refused there with the usual JSON error.
/// </summary>
[Trait("Area", "Master")]
public sealed class AgentLinkConnectionTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    [RequiresFact(Component.Postgres)]
    public async Task A_first_request_upgrade_is_answered_below_http_even_when_its_head_arrives_in_pieces()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();
        using var tcp = await ConnectAsync(master.Gateway);
        var stream = tcp.GetStream();

        // Lower-case header names, and the head in three writes: the handler must wait for all of it.
        var head = $"GET {AgentLinkProtocol.Path} HTTP/1.1\r\nhost: x\r\nupgrade: WebSocket\r\nconnection: keep-alive, Upgrade\r\nsec-websocket-version: 13\r\nsec-websocket-key: {Key}\r\n\r\n";
        foreach (var piece in new[] { head[..6], head[6..40], head[40..] })
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(piece));
            await stream.FlushAsync();
        }

        var response = await ReadHeadAsync(stream);
        Assert.StartsWith("HTTP/1.1 101 ", response, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", response, StringComparison.Ordinal);

        // Kestrel names itself on every answer it writes; the link handler's answer is its own.
        Assert.DoesNotContain("Server:", response, StringComparison.OrdinalIgnoreCase);
        await RegisterAsync(stream, "raw-first", master);
    }

    [RequiresFact(Component.Postgres)]
    public async Task An_upgrade_after_another_request_on_the_connection_goes_through_http()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();
        using var tcp = await ConnectAsync(master.Gateway);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /master/slaves HTTP/1.1\r\nHost: x\r\n\r\n"));
        var ping = await ReadHeadAsync(stream);
        Assert.StartsWith("HTTP/1.1 200 ", ping, StringComparison.Ordinal);
        await ReadBodyAsync(stream, ping);

        await stream.WriteAsync(Encoding.ASCII.GetBytes(Upgrade()));
        var response = await ReadHeadAsync(stream);
        Assert.StartsWith("HTTP/1.1 101 ", response, StringComparison.Ordinal);
        Assert.Contains("Server: Kestrel", response, StringComparison.Ordinal);
        await RegisterAsync(stream, "raw-second", master);
    }

    [RequiresFact(Component.Postgres)]
    public async Task An_upgrade_without_the_token_or_not_an_upgrade_is_refused_with_a_json_error()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync(master: o => o.AgentToken = "s3cret");
        foreach (var (request, status, says) in new[]
        {
            (Upgrade("Authorization: Bearer wrong\r\n"), 401, "enrollment token"),
            ($"GET {AgentLinkProtocol.Path} HTTP/1.1\r\nHost: x\r\n\r\n", 400, "WebSocket endpoint"),
        })
        {
            using var tcp = await ConnectAsync(master.Gateway);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            var response = await ReadHeadAsync(stream);
            Assert.StartsWith($"HTTP/1.1 {status} ", response, StringComparison.Ordinal);
            Assert.Contains(says, JsonNode.Parse(await ReadBodyAsync(stream, response))!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    /// <summary>The upgrade a node daemon opens its link with, plus <paramref name="headers"/> (each ending in CRLF).</summary>
    private static string Upgrade(string headers = "") =>
        $"GET {AgentLinkProtocol.Path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {Key}\r\n{headers}\r\n";

    private static async Task<TcpClient> ConnectAsync(Uri gateway)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(gateway.Host, gateway.Port);
        return tcp;
    }

    /// <summary>Reads up to and with the blank line ending a response head (what follows stays unread).</summary>
    private static Task<string> ReadHeadAsync(NetworkStream stream) => ReadUntilAsync(stream, "\r\n\r\n");

    private static async Task<string> ReadLineAsync(NetworkStream stream) => (await ReadUntilAsync(stream, "\r\n"))[..^2];

    /// <summary>Reads byte by byte up to and with <paramref name="end"/>.</summary>
    private static async Task<string> ReadUntilAsync(NetworkStream stream, string end)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith(end, StringComparison.Ordinal))
        {
            await stream.ReadExactlyAsync(one, timeout.Token);
            text.Append((char)one[0]);
        }

        return text.ToString();
    }

    /// <summary>Reads the body following <paramref name="head"/>: Content-Length or chunked.</summary>
    private static async Task<string> ReadBodyAsync(NetworkStream stream, string head)
    {
        var headers = head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (headers.TryGetValue("Content-Length", out var length))
        {
            var body = new byte[int.Parse(length, System.Globalization.CultureInfo.InvariantCulture)];
            await stream.ReadExactlyAsync(body);
            return Encoding.UTF8.GetString(body);
        }

        Assert.Equal("chunked", headers["Transfer-Encoding"]);
        var text = new StringBuilder();
        while (true)
        {
            var size = Convert.ToInt32((await ReadLineAsync(stream)).Split(';')[0], 16);
            var chunk = new byte[size + 2];
            await stream.ReadExactlyAsync(chunk);
            if (size == 0)
            {
                return text.ToString();
            }

            text.Append(Encoding.UTF8.GetString(chunk, 0, size));
        }
    }

    [RequiresFact(Component.Postgres)]
    public async Task A_registration_with_malformed_resources_is_refused_at_the_edge_saying_why()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();
        using var tcp = await ConnectAsync(master.Gateway);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(Upgrade()));
        Assert.StartsWith("HTTP/1.1 101 ", await ReadHeadAsync(stream), StringComparison.Ordinal);

        using var socket = WebSocket.CreateFromStream(stream, isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var register = """{"type":"REGISTER","registration":{"agent":{"agent_id":"bad-res","hostname":"h","resources":"cpus:x;mem:64"},"tasks":[]}}""";
        await socket.SendAsync(Encoding.UTF8.GetBytes(register), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var refusal = await LinkFrames.ReceiveAsync<AgentLinkMessage>(socket, timeout.Token);

        Assert.Equal(AgentLinkProtocol.Error, refusal?.Type);
        Assert.Contains("cpus:x", refusal!.Message, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = master.Gateway };
        Assert.DoesNotContain("bad-res", await http.GetStringAsync("/master/slaves"), StringComparison.Ordinal);
    }

    /// <summary>Registers an agent over the upgraded <paramref name="stream"/> and waits for the master to list it.</summary>
    private static async Task RegisterAsync(NetworkStream stream, string agentId, MasterCluster master)
    {
        using var socket = WebSocket.CreateFromStream(stream, isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await LinkFrames.SendAsync(socket, new AgentLinkMessage(AgentLinkProtocol.Register, Registration: new AgentRegistration(new AgentInfo(agentId, agentId, Resources.Parse("cpus:1;mem:64")), [])), timeout.Token);
        var registered = await LinkFrames.ReceiveAsync<AgentLinkMessage>(socket, timeout.Token);
        Assert.Equal(AgentLinkProtocol.Registered, registered?.Type);
        Assert.Equal(agentId, registered!.Registered!.AgentId);
        using var http = new HttpClient { BaseAddress = master.Gateway };
        await Poll.UntilAsync(
            async () => JsonNode.Parse(await http.GetStringAsync("/master/slaves"))!["slaves"]!.AsArray().Any(s => s!["id"]!.GetValue<string>() == agentId && s["active"]!.GetValue<bool>()),
            TimeSpan.FromSeconds(10),
            $"{agentId} listed active");
    }
}

using System.Buffers;
using System.Text;
using OrleansDcos.AgentLink;
using Xunit;

namespace OrleansDcos.Tests.Unit.Master;

[Trait("Area", "Master")]
public sealed class AgentLinkHandshakeTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";
    private static readonly string Upgrade = $"GET {AgentLinkProtocol.Path} HTTP/1.1\r\nHost: silo\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {Key}\r\nAuthorization: Bearer t\r\n\r\n";

    [Fact]
    public void The_accept_key_is_the_rfc_6455_example() =>
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", AgentLinkHandshake.AcceptKey(Key));

    [Fact]
    public void A_complete_upgrade_is_a_link_whose_head_ends_at_the_blank_line()
    {
        var verdict = AgentLinkHandshake.Inspect(Bytes(Upgrade + "\x81\x00"), out var upgrade);
        Assert.Equal(HandshakeVerdict.Link, verdict);
        Assert.Equal(Key, upgrade!.Key);
        Assert.Equal("Bearer t", upgrade.Authorization);
        Assert.Equal(Upgrade.Length, upgrade.HeadLength);
    }

    [Fact]
    public void Every_prefix_of_an_upgrade_needs_more_and_a_head_split_over_segments_is_read_whole()
    {
        for (var length = 0; length < Upgrade.Length; length++)
        {
            Assert.Equal(HandshakeVerdict.NeedMore, AgentLinkHandshake.Inspect(Bytes(Upgrade[..length]), out _));
        }

        var bytes = Encoding.ASCII.GetBytes(Upgrade);
        Assert.Equal(HandshakeVerdict.Link, AgentLinkHandshake.Inspect(Segmented(bytes, 7), out var upgrade));
        Assert.Equal(Key, upgrade!.Key);
    }

    [Theory]
    [InlineData("GET /ping HTTP/1.1\r\n")]
    [InlineData("POST /api/v1/agent/link HTTP/1.1\r\n")]
    [InlineData("GET /api/v1/agent/linkage HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")]
    [InlineData("GET /api/v1/agent/link HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")]
    [InlineData("GET /api/v1/agent/link HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /api/v1/agent/link HTTP/1.1\r\nUpgrade: websocket\r\nConnection: close\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")]
    [InlineData("GET /api/v1/agent/link HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")]
    [InlineData("GET /api/v1/agent/link HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: c2hvcnQ=\r\n\r\n")]
    [InlineData("GET /api/v1/agent/link HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nContent-Length: 3\r\n\r\nabc")]
    [InlineData("GET /api/v1/agent/link HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: chat\r\n\r\n")]
    [InlineData("GET /api/v1/agent/link HTTP/1.1\r\nUpgrade: websocket\r\n folded\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")]
    [InlineData("\x16\x03\x01\x02\x00\x01")]
    public void Anything_but_a_well_formed_link_upgrade_is_left_to_http(string request) =>
        Assert.Equal(HandshakeVerdict.NotALink, AgentLinkHandshake.Inspect(Bytes(request), out _));

    [Fact]
    public void A_head_that_never_ends_is_left_to_http_once_it_is_too_large()
    {
        var endless = $"GET {AgentLinkProtocol.Path} HTTP/1.1\r\nX-Padding: {new string('a', AgentLinkHandshake.MaxHeadBytes)}";
        Assert.Equal(HandshakeVerdict.NotALink, AgentLinkHandshake.Inspect(Bytes(endless), out _));
    }

    [Fact]
    public void The_answer_switches_protocols_with_the_accept_key()
    {
        var answer = Encoding.ASCII.GetString(AgentLinkHandshake.SwitchingProtocols(Key));
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", answer, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", answer, StringComparison.Ordinal);
    }

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.Latin1.GetBytes(text));

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        Segment? first = null, last = null;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var next = new Segment(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)), offset);
            last?.Link(next);
            first ??= next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void Link(Segment next) => Next = next;
    }
}

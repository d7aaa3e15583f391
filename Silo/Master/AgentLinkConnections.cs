using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Master;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// Serves agent links below HTTP: a connection whose first request is a well-formed, authorized WebSocket upgrade to
/// the agent link path is answered here and becomes a WebSocket on the connection's own pipes. An idle link then
/// holds its socket and its WebSocket, not the HTTP server's per-request state (context, header tables, request
/// body, timeouts: about 6.5 KB of the 22 KB an agent cost a silo when every link was an HTTP request that never
/// ended). Every other connection — and any link request this does not take — goes to the HTTP server untouched,
/// where the same path is mapped and answers or refuses as before.
/// </summary>
internal static class AgentLinkConnections
{
    /// <summary>How long a connection that looks like a link request may take to send its head.</summary>
    private static readonly TimeSpan HeadDeadline = TimeSpan.FromSeconds(10);

    /// <summary>Pending connections the listening socket queues: every agent of a large cluster reconnects at once after a failover.</summary>
    private const int ListenBacklog = 4096;

    /// <summary>
    /// Adds the agent link to every endpoint Kestrel binds, a listen queue deep enough for a cluster's agents connecting
    /// at once, and connection buffers that such a storm does not leave behind (<see cref="ArrayPoolMemoryPoolFactory"/>).
    /// </summary>
    public static IServiceCollection AddAgentLinkConnections(this IServiceCollection services) => services
        .AddSingleton<IMemoryPoolFactory<byte>, ArrayPoolMemoryPoolFactory>()
        .Configure<SocketTransportOptions>(sockets => sockets.Backlog = Math.Max(sockets.Backlog, ListenBacklog))
        .Configure<KestrelServerOptions>(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
            listen.Use(next => connection => ServeAsync(connection, next, listen.ApplicationServices))));

    private static async Task ServeAsync(ConnectionContext connection, ConnectionDelegate next, IServiceProvider services)
    {
        var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (await TakeUpgradeAsync(connection, remote, services) is not { } upgrade)
        {
            await next(connection);
            return;
        }

        await connection.Transport.Output.WriteAsync(AgentLinkHandshake.SwitchingProtocols(upgrade.Key));
        using var socket = WebSocket.CreateFromStream(new DuplexPipeStream(connection.Transport), new WebSocketCreationOptions
        {
            IsServer = true,

            // The daemon's heartbeats keep the link alive and show it is: no WebSocket pings (and no timer per link).
            KeepAliveInterval = Timeout.InfiniteTimeSpan,
        });
        await AgentLinkEndpoint.ServeAsync(socket, remote, AgentLinkEndpoint.Presented(upgrade.Authorization), connection.ConnectionClosed, services);
    }

    /// <summary>Reads the connection's first request head if it is an agent link upgrade this silo accepts; otherwise leaves every byte unread.</summary>
    private static async Task<AgentLinkUpgrade?> TakeUpgradeAsync(ConnectionContext connection, IPAddress? remote, IServiceProvider services)
    {
        var input = connection.Transport.Input;
        using var deadline = new CancellationTokenSource(HeadDeadline);
        while (true)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                return null; // slow: the HTTP server's own timeouts deal with it
            }

            var buffer = read.Buffer;
            var verdict = AgentLinkHandshake.Inspect(buffer, out var upgrade);
            if (verdict == HandshakeVerdict.NeedMore && !read.IsCompleted && !read.IsCanceled)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            if (verdict == HandshakeVerdict.Link
                && AgentLinkEndpoint.Authorized(upgrade!.Authorization, remote, services.GetRequiredService<IOptions<MasterOptions>>().Value, AgentLinkEndpoint.LoginOn(services)))
            {
                input.AdvanceTo(buffer.GetPosition(upgrade.HeadLength));
                return upgrade;
            }

            input.AdvanceTo(buffer.Start);
            return null;
        }
    }

    /// <summary>A connection's pipes as the stream a WebSocket runs on.</summary>
    private sealed class DuplexPipeStream(IDuplexPipe pipe) : Stream
    {
        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            while (true)
            {
                var read = await pipe.Input.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                if (!buffer.IsEmpty)
                {
                    var count = (int)Math.Min(buffer.Length, destination.Length);
                    buffer.Slice(0, count).CopyTo(destination.Span);
                    pipe.Input.AdvanceTo(buffer.GetPosition(count));
                    return count;
                }

                pipe.Input.AdvanceTo(buffer.End);
                if (read.IsCompleted || read.IsCanceled)
                {
                    return 0;
                }
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
            await pipe.Output.WriteAsync(source, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async Task FlushAsync(CancellationToken cancellationToken) => await pipe.Output.FlushAsync(cancellationToken);

        public override void Flush() => throw new NotSupportedException("the agent link only writes asynchronously");

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("the agent link only reads asynchronously");

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the agent link only writes asynchronously");

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

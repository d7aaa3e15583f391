using System.Net.WebSockets;

namespace OrleansDcos.AgentLink;

/// <summary>
/// The sending side of one link socket, for both ends (the silo's endpoint and every agent's client): a WebSocket
/// takes one send at a time, so concurrent senders (heartbeats, updates, log chunks; commands, closes) queue here.
/// Nothing to dispose (the gate never makes a wait handle): a late send after the link ended fails on the socket.
/// </summary>
public sealed class LinkSender(WebSocket socket)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Sends <paramref name="message"/> as one frame, after the sends before it.</summary>
    public async Task SendAsync(AgentLinkMessage message, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LinkFrames.SendAsync(socket, message, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace OrleansDcos.Tests.Support;

/// <summary>Ports for servers a test starts later on a port it must name in advance.</summary>
public static class FreePort
{
    private static int _next = Random.Shared.Next(0, Span);

    private const int First = 20_000, Span = 10_000;

    /// <summary>
    /// A port free right now on 127.0.0.1, below the ephemeral range (as an agent's port resources are), so no port-0
    /// listener of another test can take it between this probe and the server binding it; and never one this test run
    /// handed out before (ports were drawn at random, and with ~100 draws a run two tests were given the same port often
    /// enough to fail one of them with "address already in use").
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            var port = First + (Interlocked.Increment(ref _next) % Span);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try the next
            }
        }
    }
}

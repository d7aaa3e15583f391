using System.Net;
using System.Net.Sockets;

namespace OrleansDcos.Tests.Support;

/// <summary>Ports for servers a test starts later on a port it must name in advance.</summary>
public static class FreePort
{
    /// <summary>
    /// A port free right now on 127.0.0.1, below the ephemeral range (as an agent's port resources are), so
    /// no port-0 listener of another test can take it between this probe and the server binding it.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            var port = Random.Shared.Next(20_000, 30_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try another
            }
        }
    }
}

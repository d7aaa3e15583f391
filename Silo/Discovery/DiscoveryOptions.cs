using System.Globalization;
using System.Net;
using OrleansDcos.Scheduling.Discovery;

namespace OrleansDcos.Silo.Discovery;

/// <summary>
/// Settings of the Mesos-DNS-compatible discovery every silo serves (section <c>Discovery</c>), with Mesos-DNS'
/// defaults where it has them.
/// </summary>
public sealed class DiscoveryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Discovery";

    /// <summary>Serves DNS (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The address the DNS server listens on (UDP and TCP). Default: 127.0.0.1 embedded, the silo's advertised address in a cluster.</summary>
    public string? Address { get; set; }

    /// <summary>The DNS port. Default: 8053 embedded (no privilege needed), 53 in a cluster.</summary>
    public int? Port { get; set; }

    /// <summary>The domain answered (Mesos-DNS' <c>mesos</c>).</summary>
    public string Domain { get; set; } = "mesos";

    /// <summary>The TTL of answers, seconds (Mesos-DNS' 60).</summary>
    public int Ttl { get; set; } = 60;

    /// <summary>Resolvers names outside the domain are forwarded to, in order (<c>ip</c> or <c>ip:port</c>); none: such names are REFUSED.</summary>
    public List<string> Resolvers { get; set; } = [];

    /// <summary>How long a forwarded question waits for each resolver.</summary>
    public TimeSpan ForwardTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The zone these settings describe.</summary>
    public DnsZone Zone => new() { Domain = Domain, Ttl = Ttl };

    /// <summary>The resolvers as endpoints (port 53 when none is given); call after <see cref="Problems"/> found none.</summary>
    public IReadOnlyList<IPEndPoint> ResolverEndpoints() => [.. Resolvers.Select(r => ParseEndpoint(r)!)];

    /// <summary>What is wrong with these settings, each naming the setting.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Address is { } address && !IPAddress.TryParse(address, out _))
        {
            problems.Add($"Discovery:Address '{address}' is not an IP address");
        }

        if (Port is { } port && port is < 1 or > 65535)
        {
            problems.Add($"Discovery:Port '{port}' is invalid: use a port from 1 to 65535");
        }

        problems.AddRange(Zone.Problems().Select(p => $"Discovery: {p}"));
        foreach (var resolver in Resolvers.Where(r => ParseEndpoint(r) is null))
        {
            problems.Add($"Discovery:Resolvers '{resolver}' is not an address or address:port");
        }

        if (ForwardTimeout <= TimeSpan.Zero || ForwardTimeout > TimeSpan.FromSeconds(30))
        {
            problems.Add($"Discovery:ForwardTimeout '{ForwardTimeout}' must be more than zero and at most 30 s");
        }

        return problems;
    }

    private static IPEndPoint? ParseEndpoint(string text)
    {
        if (IPAddress.TryParse(text, out var bare))
        {
            return new IPEndPoint(bare, 53);
        }

        return IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port is > 0 and <= 65535
            && text.LastIndexOf(':') is var colon and > 0 && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? endpoint
            : null;
    }
}

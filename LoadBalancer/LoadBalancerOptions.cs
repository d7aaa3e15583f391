using System.Net;

namespace OrleansDcos.LoadBalancer;

/// <summary>The load balancer's settings (section <c>LoadBalancer</c>).</summary>
public sealed class LoadBalancerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "LoadBalancer";

    /// <summary>The embedded silo's API: the silo asked when <see cref="Silos"/> names none.</summary>
    public const string DefaultSilo = "http://127.0.0.1:8080";

    /// <summary>The silos' API addresses, tried in order (the next one when one does not answer); none: <see cref="DefaultSilo"/>.</summary>
    public List<string> Silos { get; set; } = [];

    /// <summary>The <c>HAPROXY_GROUP</c> served (marathon-lb's <c>--group</c>; <c>*</c> for every app with service ports).</summary>
    public string Group { get; set; } = "external";

    /// <summary>The address frontends bind (<c>*</c>: all).</summary>
    public string BindAddress { get; set; } = "*";

    /// <summary>The shared virtual-host frontend's port (0: none).</summary>
    public int HttpPort { get; set; } = 80;

    /// <summary>The stats page and <c>/_haproxy_health_check</c> port (0: none).</summary>
    public int StatsPort { get; set; } = 9090;

    /// <summary>The haproxy executable.</summary>
    public string Haproxy { get; set; } = "haproxy";

    /// <summary>Where the configuration, pid file and runtime socket live (a short path: the socket's name is limited to 107 bytes).</summary>
    public string WorkDirectory { get; set; } = "/var/lib/orleansdcos/lb";

    /// <summary>How often the configuration is asked for with no event (a missed event is caught up this late).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long events are gathered before the configuration is asked for (a burst costs one reload).</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>With login on: the service account the balancer logs in as (it needs <c>lb:config</c> and <c>marathon:app:/</c> read).</summary>
    public string? ServiceAccount { get; set; }

    /// <summary>The service account's RSA private key (PEM).</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>The cluster CA's certificate (PEM) for <c>https://</c> silos: their certificates must chain to it.</summary>
    public string? CaFile { get; set; }

    /// <summary>The runtime API socket.</summary>
    public string SocketPath => Path.Combine(WorkDirectory, "haproxy.sock");

    /// <summary>Throws naming the first bad setting.</summary>
    public void Validate()
    {
        if (Silos.Count == 0 || Silos.Any(s => !Uri.TryCreate(s, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException("LoadBalancer:Silos: one or more http(s) URLs of silos");
        }

        if (string.IsNullOrWhiteSpace(Group) || Group.Length > 64)
        {
            throw new ArgumentException("LoadBalancer:Group: a group name (1–64 characters) or *");
        }

        if (BindAddress != "*" && !IPAddress.TryParse(BindAddress, out _))
        {
            throw new ArgumentException("LoadBalancer:BindAddress: an IP address or *");
        }

        if (HttpPort is < 0 or > 65535 || StatsPort is < 0 or > 65535)
        {
            throw new ArgumentException("LoadBalancer:HttpPort and StatsPort: 0–65535 (0: none)");
        }

        if (!Path.IsPathRooted(WorkDirectory) || System.Text.Encoding.UTF8.GetByteCount(SocketPath) > 107)
        {
            throw new ArgumentException("LoadBalancer:WorkDirectory: an absolute path short enough for a Unix socket inside it (≤ 94 bytes)");
        }

        if ((ServiceAccount is null) != (PrivateKeyFile is null) || (PrivateKeyFile is not null && !File.Exists(PrivateKeyFile)))
        {
            throw new ArgumentException("LoadBalancer:ServiceAccount and PrivateKeyFile go together (an existing PEM file)");
        }

        if (CaFile is not null && !File.Exists(CaFile))
        {
            throw new ArgumentException($"LoadBalancer:CaFile: no file {CaFile}");
        }

        if (RefreshInterval < TimeSpan.FromSeconds(1) || Debounce < TimeSpan.Zero || Debounce > TimeSpan.FromSeconds(5))
        {
            throw new ArgumentException("LoadBalancer:RefreshInterval ≥ 1 s and Debounce 0–5 s");
        }
    }
}

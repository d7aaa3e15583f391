using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace OrleansDcos.Scheduling.Balancing;

/// <summary>
/// marathon-lb's labels read for one load balancer: which of an app's service ports it serves and how. Label values end
/// up in a configuration file, so each is checked against what HAProxy accepts for it; a bad value leaves its port out
/// with a warning rather than writing something HAProxy would read differently.
/// </summary>
internal static partial class HaproxyLabels
{
    public const string Group = "HAPROXY_GROUP";

    private static readonly HashSet<string> Balances = new(StringComparer.Ordinal) { "roundrobin", "static-rr", "leastconn", "first", "source", "random" };

    /// <summary>The service ports of <paramref name="app"/> that a load balancer of <paramref name="options"/> serves.</summary>
    public static IEnumerable<HaproxyService> Services(BalancedApp app, HaproxyOptions options, List<string> warnings)
    {
        for (var n = 0; n < app.Ports.Count; n++)
        {
            var port = app.Ports[n];
            if (!InGroup(app, n, options.Group))
            {
                continue;
            }

            if (!port.Protocol.Split(',').Any(p => p.Trim().Equals("tcp", StringComparison.OrdinalIgnoreCase)))
            {
                continue; // HAProxy balances TCP only: a udp port is not its business
            }

            if (Label(app, n, "ENABLED") is { } enabled && !IsTrue(enabled))
            {
                continue;
            }

            if (Read(app, n, options, warnings) is { } service)
            {
                yield return service;
            }
        }
    }

    private static HaproxyService? Read(BalancedApp app, int n, HaproxyOptions options, List<string> warnings)
    {
        HaproxyService? Bad(string label, string value, string why)
        {
            warnings.Add($"{app.AppId} service port index {n}: HAPROXY_{n}_{label}={Quote(value)} {why}; the port is not balanced");
            return null;
        }

        var bindPort = app.Ports[n].ServicePort;
        if (Label(app, n, "PORT") is { } portText)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out bindPort) || bindPort is < 1 or > 65535)
            {
                return Bad("PORT", portText, "is not a port (1–65535)");
            }
        }
        else if (bindPort is < 1 or > 65535)
        {
            warnings.Add($"{app.AppId} service port index {n}: service port {bindPort} is not a port (1–65535); the port is not balanced");
            return null;
        }

        var bindAddress = options.BindAddress;
        if (Label(app, n, "BIND_ADDR") is { } bind)
        {
            if (bind != "*" && !IPAddress.TryParse(bind, out _))
            {
                return Bad("BIND_ADDR", bind, "is not an IP address");
            }

            bindAddress = bind;
        }

        var vhosts = new List<string>();
        var vhostText = Label(app, n, "VHOST");
        if (vhostText is not null)
        {
            foreach (var vhost in vhostText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (vhost.Length > 253 || !HostName().IsMatch(vhost))
                {
                    return Bad("VHOST", vhostText, "holds a name that is not a host name");
                }

                vhosts.Add(vhost.ToLowerInvariant());
            }
        }

        var path = Label(app, n, "PATH");
        if (path is not null && (path.Length > 1024 || !UrlPath().IsMatch(path)))
        {
            return Bad("PATH", path, "is not a URL path (/ then letters, digits and -._~!&()*+,;=:@%/)");
        }

        var check = CheckOf(app, n);
        var mode = Label(app, n, "MODE")?.ToLowerInvariant();
        if (mode is not (null or "http" or "tcp"))
        {
            return Bad("MODE", mode, "is neither http nor tcp");
        }

        var http = mode == "http" || (mode is null && (vhosts.Count > 0 || IsHttp(check)));
        if (!http && (vhosts.Count > 0 || path is not null))
        {
            return Bad(vhosts.Count > 0 ? "VHOST" : "PATH", vhosts.Count > 0 ? vhostText! : path!, "needs HAPROXY_" + n.ToString(CultureInfo.InvariantCulture) + "_MODE=http");
        }

        var balance = Label(app, n, "BALANCE") ?? "roundrobin";
        if (!Balances.Contains(balance))
        {
            return Bad("BALANCE", balance, "is not one of " + string.Join(", ", Balances.Order(StringComparer.Ordinal)));
        }

        var sticky = Label(app, n, "STICKY") is { } stickyText && IsTrue(stickyText);
        if (sticky && !http)
        {
            return Bad("STICKY", "true", "needs HTTP mode (a cookie)");
        }

        if (check?.Path is { } checkPath && (checkPath.Length > 1024 || !UrlPath().IsMatch(checkPath)))
        {
            warnings.Add($"{app.AppId} service port index {n}: the health check's path {Quote(checkPath)} is not a plain URL path; HAProxy does not check it");
            check = null;
        }

        return new HaproxyService(app, n, bindPort, bindAddress, http, balance, sticky, vhosts, path, check, BackendName(app.AppId, app.Ports[n].ServicePort));
    }

    /// <summary>marathon-lb's backend name: the app id's path with <c>/</c> as <c>_</c>, then the service port.</summary>
    public static string BackendName(string appId, int servicePort) =>
        Unsafe().Replace(appId.Trim('/').Replace('/', '_'), "_") + "_" + servicePort.ToString(CultureInfo.InvariantCulture);

    /// <summary>A name safe as an HAProxy identifier.</summary>
    public static string Identifier(string text) => Unsafe().Replace(text, "_");

    /// <summary>Whether <paramref name="address"/> can stand in a <c>server</c> line (an IP address or a host name).</summary>
    public static bool IsAddress(string address) => IPAddress.TryParse(address, out _) || (address.Length <= 253 && HostName().IsMatch(address));

    private static bool InGroup(BalancedApp app, int n, string group)
    {
        if (group == "*")
        {
            return true;
        }

        var groups = Label(app, n, "GROUP") ?? (app.Labels.TryGetValue(Group, out var g) ? g : null);
        return groups is not null && groups.Split(',', StringSplitOptions.TrimEntries).Contains(group, StringComparer.Ordinal);
    }

    /// <summary>The app's first health check on service port <paramref name="n"/> that HAProxy can repeat (HTTP or TCP).</summary>
    private static BalancedHealthCheck? CheckOf(BalancedApp app, int n) =>
        app.HealthChecks.FirstOrDefault(c => (c.Port is null && (c.PortIndex ?? 0) == n) && (IsHttp(c) || IsTcp(c)));

    public static bool IsHttp(BalancedHealthCheck? check) => check?.Protocol.ToUpperInvariant() is "HTTP" or "MESOS_HTTP";

    public static bool IsTcp(BalancedHealthCheck? check) => check?.Protocol.ToUpperInvariant() is "TCP" or "MESOS_TCP";

    private static string? Label(BalancedApp app, int n, string name) =>
        app.Labels.TryGetValue("HAPROXY_" + n.ToString(CultureInfo.InvariantCulture) + "_" + name, out var value) ? value.Trim() : null;

    private static bool IsTrue(string value) => value.Trim().ToLowerInvariant() is "true" or "1" or "yes";

    private static string Quote(string value) => "\"" + (value.Length > 80 ? value[..80] + "…" : value).ReplaceLineEndings(" ") + "\"";

    [GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();

    [GeneratedRegex(@"^/[A-Za-z0-9\-._~!&()*+,;=:@%/]*$", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPath();

    [GeneratedRegex(@"[^A-Za-z0-9_.\-]", RegexOptions.CultureInvariant)]
    private static partial Regex Unsafe();
}

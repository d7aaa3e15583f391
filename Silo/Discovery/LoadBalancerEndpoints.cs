using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Scheduling.Balancing;
using OrleansDcos.Silo.Api;

namespace OrleansDcos.Silo.Discovery;

/// <summary>
/// <c>GET /_haproxy_getconfig</c>: the HAProxy configuration a marathon-lb-style load balancer runs now, generated from
/// Marathon's apps and their serving tasks. The load balancer's own settings are query parameters — <c>group</c>
/// (default <c>external</c>; <c>*</c> for every app), <c>bind</c> (address, default <c>*</c>), <c>httpPort</c>
/// (virtual hosts' shared frontend, default 80, 0 for none), <c>statsPort</c> (default 9090, 0 for none) and
/// <c>socket</c> (HAProxy's runtime API socket path) — so every load balancer asks for exactly the file it writes
/// (<c>LoadBalancer/</c> does). What the generator left out is listed at the end as comments.
/// </summary>
public static partial class LoadBalancerEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapLoadBalancer(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/_haproxy_getconfig", (HttpContext context, IGrainFactory grains) => ApiResults.Guard(async () =>
        {
            var options = OptionsOf(context.Request.Query);
            var root = grains.GetGrain<IMarathonRootGrain>(MarathonKeys.Root);
            var candidates = (await root.ListAppViews())
                .Select(v => v.Definition)
                .OfType<AppDefinition>()
                .Where(a => LoadBalancerApps.Candidate(a, options.Group))
                .ToList();
            var statuses = await Task.WhenAll(candidates.Select(a => grains.GetGrain<IAppGrain>(a.Id).GetStatus()));
            var apps = statuses.Where(s => s.Definition is not null).Select(s => LoadBalancerApps.From(s.Definition!, s.Instances));
            var config = HaproxyConfig.Render(apps, options);
            var text = new StringBuilder(config.Text);
            foreach (var warning in config.Warnings)
            {
                text.Append("# left out: ").Append(ControlCharacters().Replace(warning, " ")).Append('\n');
            }

            return Results.Text(text.ToString(), "text/plain; charset=utf-8");
        }));
        return endpoints;
    }

    /// <summary>The load balancer's settings from the query, each checked.</summary>
    internal static HaproxyOptions OptionsOf(IQueryCollection query)
    {
        var options = new HaproxyOptions();
        if (query["group"].ToString() is { Length: > 0 } group)
        {
            if (group != "*" && !GroupName().IsMatch(group))
            {
                throw new BadRequestException("group: a group is * or 1–64 letters, digits and -_.");
            }

            options = options with { Group = group };
        }

        if (query["bind"].ToString() is { Length: > 0 } bind)
        {
            if (bind != "*" && !IPAddress.TryParse(bind, out _))
            {
                throw new BadRequestException("bind: an IP address or *");
            }

            options = options with { BindAddress = bind };
        }

        options = options with
        {
            HttpPort = Port(query, "httpPort") ?? options.HttpPort,
            StatsPort = Port(query, "statsPort") ?? options.StatsPort,
        };
        if (query["socket"].ToString() is { Length: > 0 } socket)
        {
            if (!SocketPath().IsMatch(socket))
            {
                throw new BadRequestException("socket: an absolute path of at most 200 letters, digits and -_./");
            }

            options = options with { RuntimeSocket = socket };
        }

        return options;
    }

    private static int? Port(IQueryCollection query, string name)
    {
        if (query[name].ToString() is not { Length: > 0 } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new BadRequestException($"{name}: a port 0–65535 (0: none)");
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupName();

    [GeneratedRegex(@"^/[A-Za-z0-9_.\-/]{1,199}$", RegexOptions.CultureInvariant)]
    private static partial Regex SocketPath();

    [GeneratedRegex(@"\p{C}", RegexOptions.CultureInvariant)]
    private static partial Regex ControlCharacters();
}

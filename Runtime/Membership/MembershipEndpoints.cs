using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansDcos.Runtime.Membership;

/// <summary>Silo-to-silo endpoints of membership: direct and indirect probes, and the gateway list for clients.</summary>
public static class MembershipEndpoints
{
    /// <summary>Maps <c>GET /silo/link</c> (WebSocket), <c>GET /silo/ping</c>, <c>GET /silo/probe?target=</c> and <c>GET /gateway/silos</c>.</summary>
    public static IEndpointRouteBuilder MapSiloEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map(Messaging.SiloWire.Path, Messaging.SiloCallEndpoint.HandleLinkAsync);
        endpoints.MapPost("/silo/reminders/refresh", (HttpContext context, SiloNetwork network, Reminders.ReminderService reminders) =>
        {
            if (Dropped(context, network))
            {
                return Task.CompletedTask;
            }

            _ = reminders.RefreshNowAsync();
            return Task.CompletedTask;
        });
        endpoints.MapGet("/silo/ping", (HttpContext context, ClusterMembership membership, SiloNetwork network) =>
        {
            if (Dropped(context, network) || membership.Self is not { } self || membership.FencedBecause is not null)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            return Results.Text(self.ToString());
        });

        endpoints.MapGet("/silo/probe", async (HttpContext context, string target, SiloNetwork network, IServiceProvider services) =>
        {
            if (Dropped(context, network))
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            var agent = services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<MembershipAgent>().Single();
            return await agent.ProbeDirectAsync(SiloAddress.Parse(target), context.RequestAborted)
                ? Results.Ok()
                : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        });

        endpoints.MapGet("/gateway/silos", (HttpContext context, ClusterMembership membership, SiloNetwork network) =>
            Dropped(context, network)
                ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
                : Results.Json(membership.ActiveSilos.Select(s => s.Endpoint.ToString()).ToArray()));
        return endpoints;
    }

    /// <summary>A partitioned or killed silo drops the connection, as a cut network would.</summary>
    internal static bool Dropped(HttpContext context, SiloNetwork network)
    {
        if (!network.Partitioned && !network.Killed)
        {
            return false;
        }

        context.Abort();
        return true;
    }
}

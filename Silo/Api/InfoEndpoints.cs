using System.Reflection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Silo.Hosting;

namespace OrleansDcos.Silo.Api;

/// <summary><c>GET /ping</c> and <c>GET /v2/info</c>, as Marathon answers them, and <c>GET /cluster/members</c>: the silos not dead, oldest first, each by its API address and Orleans status.</summary>
public static class InfoEndpoints
{
    /// <summary>The product name reported by <c>/v2/info</c>.</summary>
    public const string ProductName = "orleans-dcos";

    /// <summary>The version reported by <c>/v2/info</c>: the assembly's informational version.</summary>
    public static string ProductVersion { get; } =
        typeof(InfoEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapInfoEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/ping", () => Results.Text("pong", "text/plain"));
        endpoints.MapGet("/v2/info", (IServer server, IOptions<SiloOptions> options, ClusterLeader leader) => Results.Json(Describe(server, options.Value, leader)));
        endpoints.MapGet("/cluster/members", (IClusterMembershipService membership) => Results.Json(
            membership.CurrentSnapshot.Members.Values
                .Where(m => m.Status != SiloStatus.Dead)
                .OrderBy(m => m.SiloAddress.Generation)
                .Select(m => new { address = m.Name, silo = m.SiloAddress.ToParsableString(), status = m.Status.ToString() })));
        return endpoints;
    }

    private static MarathonInfo Describe(IServer server, SiloOptions options, ClusterLeader leader)
    {
        var urls = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
        var first = urls.Length > 0 && Uri.TryCreate(urls[0], UriKind.Absolute, out var uri) ? uri : null;
        return new MarathonInfo(
            Name: ProductName,
            Version: ProductVersion,
            Buildref: "unknown",
            Elected: leader.IsSelf,
            Leader: leader.Address,
            FrameworkId: MarathonKeys.FrameworkId,
            HttpConfig: new HttpConfigInfo(first?.Port, urls),
            SiloConfig: new SiloConfigInfo(
                options.ClusterId,
                options.Mode.ToString(),
                options.Mode == SiloMode.Embedded ? "sqlite" : "postgresql"));
    }
}

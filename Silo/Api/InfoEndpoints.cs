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
    /// <summary>The name <c>/v2/info</c> reports: Marathon's (clients check it); this product's version is beside it.</summary>
    public const string ProductName = "marathon";

    /// <summary>The version reported by <c>/v2/info</c>: the assembly's informational version.</summary>
    public static string ProductVersion { get; } =
        typeof(InfoEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapInfoEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/ping", () => Results.Text("pong", "text/plain"));
        endpoints.MapGet("/v2/info", (IServer server, IOptions<SiloOptions> options, ClusterLeader leader, IServiceProvider services) =>
            Results.Json(Describe(server, options.Value, leader, services.GetService<IOptions<MarathonOptions>>()?.Value ?? new MarathonOptions())));
        endpoints.MapGet("/cluster/members", (IClusterMembershipService membership) => Results.Json(
            membership.CurrentSnapshot.Members.Values
                .Where(m => m.Status != SiloStatus.Dead)
                .OrderBy(m => m.SiloAddress.Generation)
                .Select(m => new { address = m.Name, silo = m.SiloAddress.ToParsableString(), status = m.Status.ToString() })));
        return endpoints;
    }

    private static MarathonInfo Describe(IServer server, SiloOptions options, ClusterLeader leader, MarathonOptions marathon)
    {
        var urls = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
        var first = urls.Length > 0 && Uri.TryCreate(urls[0], UriKind.Absolute, out var uri) ? uri : null;
        var self = leader.SelfName;
        var (host, _) = ClusterLeader.HostAndPort(self);
        var leaderUrl = $"http://{leader.Address ?? self}/";
        return new MarathonInfo(
            Name: ProductName,
            Version: MarathonInfo.MarathonVersion,
            Buildref: "unknown",
            Elected: leader.IsSelf,
            Leader: leader.Address,
            FrameworkId: MarathonKeys.FrameworkId,
            HttpConfig: new HttpConfigInfo(first?.Port, urls),
            SiloConfig: new SiloConfigInfo(
                options.ClusterId,
                options.Mode.ToString(),
                options.Mode == SiloMode.Embedded ? "sqlite" : "postgresql"),
            new MarathonConfigInfo(
                Checkpoint: true,
                DeclineOfferDuration: (long)Scheduling.Placement.OfferMatching.IdleRefusal.TotalMilliseconds,
                Executor: "//cmd",
                FailoverTimeout: (long)Grains.Marathon.Scheduler.MarathonFramework.FailoverTimeout.TotalSeconds,
                Features: [],
                FrameworkName: MarathonKeys.FrameworkId,
                Ha: options.Mode == SiloMode.Cluster,
                Hostname: host,
                LocalPortMax: marathon.ServicePortMax,
                LocalPortMin: marathon.ServicePortMin,
                Master: leaderUrl,
                MesosLeaderUiUrl: leaderUrl,
                MesosRole: marathon.Roles.FirstOrDefault(r => r != "*"),
                MesosUser: Environment.UserName,
                ReconciliationInitialDelay: (long)marathon.ReconcileInterval.TotalMilliseconds,
                ReconciliationInterval: (long)marathon.ReconcileInterval.TotalMilliseconds,
                TaskLaunchTimeout: (long)marathon.TaskLaunchReconcileAfter.TotalMilliseconds,
                WebuiUrl: first is null ? null : $"{first.Scheme}://{self}"),
            new ZookeeperConfigInfo(
                Zk: options.Mode == SiloMode.Embedded ? $"sqlite://{options.DataDirectory}/dcos.db" : $"postgresql://{options.ClusterId}/{options.ServiceId}",
                Compression: false,
                CompressionThreshold: 65536,
                ConnectionTimeout: 10000,
                MaxNodeSize: 1024000,
                MaxVersions: 50,
                SessionTimeout: 10000,
                Timeout: 10000),
            ProductVersion);
    }
}

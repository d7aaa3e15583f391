using Microsoft.Extensions.Options;
using OrleansDcos.Silo.Master;

namespace OrleansDcos.Silo.Discovery;

/// <summary>Adds Mesos-DNS-compatible discovery to a silo: the records directory, the feed that keeps it, and the DNS server.</summary>
public static class DiscoveryHosting
{
    /// <summary>Registers <see cref="DiscoveryOptions"/> (section <c>Discovery</c>, validated at start), the directory, its feed and the DNS server.</summary>
    public static IServiceCollection AddDiscovery(this IServiceCollection services, Action<DiscoveryOptions>? configure = null)
    {
        services.AddCheckedSection<DiscoveryOptions>(DiscoveryOptions.SectionName, o => o.Problems(), configure);
        services.AddSingleton(sp => new DiscoveryDirectory(sp.GetRequiredService<IOptions<DiscoveryOptions>>().Value.Zone));
        services.AddSingleton<MesosDnsServer>();
        services.AddHostedService(sp => sp.GetRequiredService<MesosDnsServer>());
        services.AddHostedService<DiscoveryFeed>();
        return services;
    }
}

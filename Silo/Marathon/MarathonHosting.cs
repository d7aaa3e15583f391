using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Silo.Master;

namespace OrleansDcos.Silo.Marathon;

/// <summary>Adds the built-in Marathon (scheduler, root, /v2 API) to a silo that hosts the master.</summary>
public static class MarathonHosting
{
    /// <summary>Registers <see cref="MarathonOptions"/> (section <c>Marathon</c>, validated at start) and keeps Marathon's singletons active.</summary>
    public static IServiceCollection AddMarathon(this IServiceCollection services, Action<MarathonOptions>? configure = null)
    {
        services.AddCheckedSection<MarathonOptions>(MarathonOptions.SectionName, o => o.Problems(), configure);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MarathonHttpMetrics>();
        services.TryAddSingleton<Hosting.ClusterLeader>();
        services.TryAddSingleton<Hosting.SiloUptime>();
        services.TryAddSingleton<Grains.RandomSource>();
        services.TryAddSingleton<MarathonHttpClients>();

        services.AddKeepAlive("marathon root", grains => grains.GetGrain<IMarathonRootGrain>(MarathonKeys.Root).Ping());
        services.AddKeepAlive("marathon scheduler", grains => grains.GetGrain<IMarathonSchedulerGrain>(MarathonKeys.Scheduler).Ping());
        services.AddKeepAlive("marathon callbacks", grains => grains.GetGrain<IEventSubscriptionsGrain>(MarathonKeys.Scheduler).Ping());
        return services;
    }
}

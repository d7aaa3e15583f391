using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansDcos.Grains.Master;

namespace OrleansDcos.Silo.Master;

/// <summary>Adds the master (agent link, scheduler API, operator endpoints) to a silo.</summary>
public static class MasterHosting
{
    /// <summary>Registers <see cref="MasterOptions"/> (section <c>Master</c>, validated at start), agent links below HTTP (<see cref="AgentLinkConnections"/>) and the allocator keep-alive.</summary>
    public static IServiceCollection AddMaster(this IServiceCollection services, Action<MasterOptions>? configure = null)
    {
        services.AddCheckedSection<MasterOptions>(MasterOptions.SectionName, o => o.Problems(), configure);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AgentLiveness>();
        services.TryAddSingleton(sp => new Grains.Concurrency.CoarseDelay(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<TaskStatusStream>();
        services.TryAddSingleton<Grains.RandomSource>();
        services.AddHostedService<AgentSilenceWatch>();
        services.TryAddSingleton(sp => new TaskStateCounters(
            sp.GetService<Providers.Streams.EventLogReader>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TaskStateCounters>>()));
        services.AddHostedService(sp => sp.GetRequiredService<TaskStateCounters>());
        services.TryAddSingleton<Hosting.ClusterLeader>();
        services.TryAddSingleton<Hosting.SiloUptime>();
        services.AddAgentLinkConnections();
        services.AddTransient<IStartupFilter, WebSocketsFirst>();
        services.AddKeepAlive("allocator", grains => grains.GetGrain<IAllocatorGrain>(MasterKeys.Allocator).Ping());
        return services;
    }

    /// <summary>Maps the master's endpoints.</summary>
    public static IEndpointRouteBuilder MapMaster(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapAgentLink().MapScheduler().MapMasterEndpoints().MapReservationEndpoints().MapOperatorApi();
}

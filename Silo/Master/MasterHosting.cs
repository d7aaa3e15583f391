using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansDcos.Grains.Master;

namespace OrleansDcos.Silo.Master;

/// <summary>Adds the master (agent link, scheduler API, operator endpoints) to a silo.</summary>
public static class MasterHosting
{
    /// <summary>Registers <see cref="MasterOptions"/> (section <c>Master</c>, validated at start), agent links below HTTP (<see cref="AgentLinkConnections"/>) and the allocator keep-alive.</summary>
    public static IServiceCollection AddMaster(this IServiceCollection services, Action<MasterOptions>? configure = null)
    {
        services.AddCheckedSection<MasterOptions>(MasterOptions.SectionName, o => o.Validate(), configure);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AgentLiveness>();
        services.TryAddSingleton<TaskStatusStream>();
        services.AddHostedService<AgentSilenceWatch>();
        services.TryAddSingleton<Hosting.ClusterLeader>();
        services.AddAgentLinkConnections();
        services.AddTransient<IStartupFilter, WebSocketsFirst>();
        services.AddKeepAlive("allocator", grains => grains.GetGrain<IAllocatorGrain>(MasterKeys.Allocator).Ping());
        return services;
    }

    /// <summary>Maps the master's endpoints.</summary>
    public static IEndpointRouteBuilder MapMaster(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapAgentLink().MapScheduler().MapMasterEndpoints();
}

/// <summary>
/// WebSocket requests understood in front of every other middleware: an agent link that reaches the HTTP pipeline
/// (not taken by <see cref="AgentLinkConnections"/>, e.g. a wrong token) is answered as the WebSocket request it is.
/// </summary>
internal sealed class WebSocketsFirst : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseWebSockets();
        next(app);
    };
}

/// <summary>Options bound from a configuration section and checked when the silo starts.</summary>
public static class CheckedSectionRegistration
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/>, applies <paramref name="configure"/> (tests, code) and runs
    /// <paramref name="check"/> at start: whatever it throws stops the silo with its message.
    /// </summary>
    public static IServiceCollection AddCheckedSection<T>(this IServiceCollection services, string section, Action<T> check, Action<T>? configure)
        where T : class
    {
        var options = services.AddOptions<T>().BindConfiguration(section)
            .Validate(o =>
            {
                check(o);
                return true;
            })
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services;
    }
}

/// <summary>A singleton grain every silo keeps active (see <see cref="SingletonKeepAlive"/>).</summary>
/// <param name="Name">For the log.</param>
/// <param name="Ping">Calls the grain.</param>
public sealed record KeepAliveTarget(string Name, Func<IGrainFactory, Task> Ping);

/// <summary>Registers <see cref="KeepAliveTarget"/>s.</summary>
public static class KeepAliveRegistration
{
    /// <summary>Keeps the grain <paramref name="ping"/> calls active from every silo.</summary>
    public static IServiceCollection AddKeepAlive(this IServiceCollection services, string name, Func<IGrainFactory, Task> ping)
    {
        services.AddSingleton(new KeepAliveTarget(name, ping));
        services.AddHostedService<SingletonKeepAlive>();
        return services;
    }
}

/// <summary>
/// Calls each singleton grain (the allocator, Marathon's scheduler and root) every few seconds from every silo, so that
/// after the silo hosting one dies a new activation (which rebuilds its soft state) comes up at once rather than on
/// the next event.
/// </summary>
internal sealed class SingletonKeepAlive(IGrainFactory grains, Hosting.ClusterLeader cluster, IEnumerable<KeepAliveTarget> targets, ILogger<SingletonKeepAlive> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!cluster.SelfActive)
                {
                    continue;
                }

                foreach (var target in targets)
                {
                    try
                    {
                        await target.Ping(grains).WaitAsync(stoppingToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logger.LogDebug("{Name} keep-alive: {Message}", target.Name, ex.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}

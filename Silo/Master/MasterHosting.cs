using Microsoft.Extensions.Options;
using OrleansDcos.Grains.Master;
using OrleansDcos.Runtime;
using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Silo.Master;

/// <summary>Adds the master (agent link, scheduler API, operator endpoints) to a silo.</summary>
public static class MasterHosting
{
    /// <summary>Registers <see cref="MasterOptions"/> (section <c>Master</c>, validated at start) and the allocator keep-alive.</summary>
    public static IServiceCollection AddMaster(this IServiceCollection services, Action<MasterOptions>? configure = null)
    {
        var options = services.AddOptions<MasterOptions>().BindConfiguration(MasterOptions.SectionName)
            .Validate(o =>
            {
                o.Validate();
                return true;
            })
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddHostedService<AllocatorKeepAlive>();
        return services;
    }

    /// <summary>Maps the master's endpoints.</summary>
    public static IEndpointRouteBuilder MapMaster(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapAgentLink().MapScheduler().MapMasterEndpoints();
}

/// <summary>
/// Calls the allocator every few seconds from every silo, so that after the silo hosting it dies a new activation
/// (which asks every agent and framework to report again) comes up at once rather than on the next event.
/// </summary>
internal sealed class AllocatorKeepAlive(IGrainFactory grains, ClusterMembership membership, ILogger<AllocatorKeepAlive> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!membership.IsAdmitting)
                {
                    continue;
                }

                try
                {
                    await grains.GetGrain<IAllocatorGrain>(MasterKeys.Allocator).Ping().WaitAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogDebug("allocator keep-alive: {Message}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}

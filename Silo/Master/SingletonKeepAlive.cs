namespace OrleansDcos.Silo.Master;

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
                        LinkLog.KeepAliveFailed(logger, target.Name, ex.Message);
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

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Runtime.Reminders;

namespace OrleansDcos.Runtime.Hosting;

/// <summary>
/// Starts the runtime with the host (reminders, the maintenance loop for timeouts and idle collection)
/// and stops it gracefully: every activation gets OnDeactivateAsync before the host exits.
/// </summary>
internal sealed class GrainRuntimeHost(Catalog catalog, ReminderService reminders, IOptions<GrainRuntimeOptions> options, GrainRuntimeBuilder builder, IServiceProvider services) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _maintenance;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // In a cluster, calls go through the router (directory, placement, other silos).
        catalog.Router = services.GetService<OrleansDcos.Runtime.Directory.GrainRouter>();
        await reminders.StartAsync(cancellationToken);

        // Stream providers start delivering (implicit subscriptions) as soon as the silo runs.
        foreach (var name in builder.StreamProviders)
        {
            services.GetRequiredKeyedService<IStreamProvider>(name);
        }

        _maintenance = MaintainAsync(options.Value.MaintenanceInterval, _stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await reminders.DisposeAsync();
        await catalog.DeactivateAllAsync(TimeSpan.FromSeconds(10), cancellationToken);
        await _stopping.CancelAsync();
        if (_maintenance is not null)
        {
            await _maintenance;
        }
    }

    public ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task MaintainAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                catalog.Sweep();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}

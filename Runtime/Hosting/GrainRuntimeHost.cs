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
    private readonly Lock _stopLock = new();
    private Task? _maintenance;
    private Task? _stopped;

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

    /// <summary>
    /// Stops once: a second caller waits for the first stop. A host run by a test factory is stopped by the factory
    /// and by its own run loop at the same time, and the loop disposed this while the factory's stop was still running.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopLock)
        {
            return _stopped ??= StopOnceAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? stopped;
        lock (_stopLock)
        {
            stopped = _stopped;
        }

        if (stopped is not null)
        {
            await Task.WhenAny(stopped); // its failure is its caller's
        }

        _stopping.Dispose();
    }

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        await reminders.DisposeAsync();
        await catalog.DeactivateAllAsync(TimeSpan.FromSeconds(10), cancellationToken);
        await _stopping.CancelAsync();
        if (_maintenance is not null)
        {
            await _maintenance;
        }
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

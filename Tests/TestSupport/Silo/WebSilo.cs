using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace OrleansDcos.Tests.Support.Silo;

/// <summary>One silo of a <see cref="WebSiloCluster"/>: its host, API address and Orleans identity.</summary>
public sealed class WebSilo(WebApplication app, SiloEndpoint endpoint)
{
    private int _stopped;

    /// <summary>Where it listens.</summary>
    public SiloEndpoint Endpoint { get; } = endpoint;

    /// <summary>Its API base URL.</summary>
    public Uri Address { get; } = new($"http://{endpoint.Host}:{endpoint.HttpPort}");

    /// <summary>Its services (grain factory, options, …).</summary>
    public IServiceProvider Services => app.Services;

    /// <summary>Calls grains from this silo.</summary>
    public IGrainFactory Grains => app.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Its Orleans address.</summary>
    public SiloAddress SiloAddress { get; } = app.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    /// <summary>False once stopped or killed.</summary>
    public bool IsRunning => Volatile.Read(ref _stopped) == 0;

    /// <summary>The silos this one sees active.</summary>
    public HashSet<SiloAddress> ActiveSilos() => [.. app.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values
        .Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress)];

    /// <summary>Stops the host: gracefully (the silo leaves the membership) or not (a cancelled stop, as a kill leaves it).</summary>
    public async Task StopAsync(bool graceful)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            await app.StopAsync(graceful ? CancellationToken.None : new CancellationToken(canceled: true));
        }
        catch (OperationCanceledException)
        {
            // An ungraceful stop cancels what was under way.
        }

        await app.DisposeAsync();
    }
}

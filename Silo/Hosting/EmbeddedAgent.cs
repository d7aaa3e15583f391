using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using OrleansDcos.Grains.Master;
using OrleansDcos.NodeDaemon.Agent;

namespace OrleansDcos.Silo.Hosting;

/// <summary>
/// The node daemon inside the silo process (embedded mode's default): once the silo listens, a daemon with its
/// work directory under the data directory enrolls through the silo's own address, so one command gives a
/// one-machine cluster that runs real tasks. Its settings are the <c>Daemon</c> section's, gateways excepted. With
/// login on it is given a one-use join token at its first start, and presents its agent credential after.
/// </summary>
internal sealed class EmbeddedAgent(
    IOptions<SiloOptions> silo,
    IConfiguration configuration,
    IServer server,
    IHostApplicationLifetime lifetime,
    IWebHostEnvironment environment,
    AgentLiveness liveness,
    TimeProvider time,
    IGrainFactory grains,
    IServiceProvider services,
    ILoggerFactory loggers) : BackgroundService
{
    private AgentDaemon? _daemon;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!(silo.Value.EmbeddedAgent ?? silo.Value.Mode == SiloMode.Embedded))
        {
            return;
        }

        // The silo's address is known once it listens.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return; // stopped before it ever listened (e.g. its port was taken): nothing to start
            }
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the silo has no address for its embedded agent");
        var options = new DaemonOptions { WorkDirectory = Path.Combine(Path.GetFullPath(silo.Value.DataDirectory, environment.ContentRootPath), "agent") };
        configuration.GetSection(DaemonOptions.SectionName).Bind(options);
        options.Gateways = [Loopback(new Uri(address))];
        options.CaFile ??= configuration["Security:Tls:CaFile"];
        if (Master.AgentLinkEndpoint.LoginOn(services) && options.Token is null && !File.Exists(Path.Combine(options.WorkDirectory, "agent.credential")))
        {
            // With login on it enrolls as any agent does: with a join token, here one made for it (one use, ten minutes).
            var token = await grains.GetGrain<Grains.Security.IEnrollmentGrain>(Grains.Security.IEnrollmentGrain.Key)
                .CreateToken($"embedded-{Guid.NewGuid():N}", time.GetUtcNow().AddMinutes(10), 1);
            options.Token = token.Text;
        }

        _daemon = new AgentDaemon(options, loggers.CreateLogger<AgentDaemon>(), time);

        // It lives and dies with this silo: the master never takes it for unreachable (a busy silo would otherwise
        // replace its own tasks).
        liveness.MarkInProcess(_daemon.AgentId);
        await _daemon.StartAsync();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
    }

    /// <summary>A wildcard listening address is reached over loopback.</summary>
    private static Uri Loopback(Uri address) =>
        address.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*" ? new UriBuilder(address) { Host = "127.0.0.1" }.Uri : address;
}

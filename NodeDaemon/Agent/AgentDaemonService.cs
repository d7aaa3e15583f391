using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansDcos.NodeDaemon.Agent;

/// <summary>Runs an <see cref="AgentDaemon"/> for the life of a host (the daemon's own, or a silo embedding one).</summary>
public sealed class AgentDaemonService(IOptions<DaemonOptions> options, ILoggerFactory loggers, TimeProvider? time = null) : IHostedService, IAsyncDisposable
{
    private AgentDaemon? _daemon;

    /// <summary>The daemon, once started.</summary>
    public AgentDaemon? Daemon => _daemon;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _daemon = new AgentDaemon(options.Value, loggers.CreateLogger<AgentDaemon>(), time);
        return _daemon.StartAsync();
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
    }
}

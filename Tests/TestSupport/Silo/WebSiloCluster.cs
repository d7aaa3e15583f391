using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansDcos.Silo.Hosting;

namespace OrleansDcos.Tests.Support.Silo;

/// <summary>
/// Silos as the product runs them — Microsoft Orleans in an ASP.NET Core host with the REST APIs and agent links
/// (<see cref="SiloHostingExtensions.AddSiloHost"/>, cluster mode on PostgreSQL) — several in the test's process, each
/// on its own loopback address (127.0.0.2, .3 …) and free ports. A silo can be killed (stopped without a goodbye: its
/// membership row stays Active until the others vote it dead), stopped, or restarted on its address.
/// </summary>
public sealed class WebSiloCluster : IAsyncDisposable
{
    private readonly WebSiloClusterOptions _options;
    private readonly List<WebSilo> _silos = [];
    private int _next;

    private WebSiloCluster(WebSiloClusterOptions options) => _options = options;

    /// <summary>The silos that run, in start order.</summary>
    public IReadOnlyList<WebSilo> RunningSilos
    {
        get
        {
            lock (_silos)
            {
                return [.. _silos.Where(s => s.IsRunning)];
            }
        }
    }

    /// <summary>The API base URLs of the running silos (agent links and clients connect here).</summary>
    public IReadOnlyList<Uri> Gateways => [.. RunningSilos.Select(s => s.Address)];

    /// <summary>The cluster's id, which is also its service id (the <c>service_id</c> of its rows in PostgreSQL).</summary>
    public string ClusterId => _options.ClusterId;

    /// <summary>Starts <see cref="WebSiloClusterOptions.InitialSilos"/> silos and waits until they all see each other active.</summary>
    public static async Task<WebSiloCluster> StartAsync(WebSiloClusterOptions options)
    {
        var cluster = new WebSiloCluster(options);
        try
        {
            for (var i = 0; i < options.InitialSilos; i++)
            {
                await cluster.StartSiloAsync();
            }

            await cluster.WaitForLivenessToStabilizeAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more silo on the next address.</summary>
    public async Task<WebSilo> StartSiloAsync()
    {
        var host = $"127.0.0.{2 + Interlocked.Increment(ref _next) - 1}";
        var silo = await StartAsync(new SiloEndpoint(host, FreePort.Next(), FreePort.Next(), FreePort.Next()));
        return silo;
    }

    /// <summary>Stops <paramref name="silo"/> without a goodbye (as a SIGKILL leaves it): connections drop, nothing is written on the way out.</summary>
    public Task KillSiloAsync(WebSilo silo) => silo.StopAsync(graceful: false);

    /// <summary>Stops <paramref name="silo"/> gracefully: it leaves the membership itself.</summary>
    public Task StopSiloAsync(WebSilo silo) => silo.StopAsync(graceful: true);

    /// <summary>Kills <paramref name="silo"/> (when it runs) and starts a new one on the same address and ports, as an operator restarts a process.</summary>
    public async Task<WebSilo> RestartSiloAsync(WebSilo silo)
    {
        if (silo.IsRunning)
        {
            await silo.StopAsync(graceful: false);
        }

        return await StartAsync(silo.Endpoint);
    }

    /// <summary>Waits until every running silo sees exactly the running silos as active.</summary>
    public Task WaitForLivenessToStabilizeAsync(TimeSpan? timeout = null) => Poll.UntilAsync(() =>
    {
        var running = RunningSilos;
        var expected = running.Select(s => s.SiloAddress).ToHashSet();
        return Task.FromResult(running.All(s => s.ActiveSilos().SetEquals(expected)));
    }, timeout ?? TimeSpan.FromSeconds(30), "every running silo to see exactly the running silos active");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var silo in RunningSilos.Reverse())
        {
            await silo.StopAsync(graceful: false);
        }
    }

    private async Task<WebSilo> StartAsync(SiloEndpoint endpoint)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = $"http://{endpoint.Host}:{endpoint.HttpPort}",
            ["Silo:Mode"] = "Cluster",
            ["Silo:ClusterId"] = _options.ClusterId,
            ["Silo:ServiceId"] = _options.ClusterId,
            ["Silo:PostgresConnectionString"] = _options.PostgresConnectionString,
            ["Silo:SiloPort"] = endpoint.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:GatewayPort"] = endpoint.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:EmbeddedAgent"] = "false",
        });
        if (Environment.GetEnvironmentVariable("DCOS_TEST_LOG") == "1")
        {
            builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(LogLevel.Debug)
                .AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning).AddFilter("Orleans", LogLevel.Information);
        }
        else
        {
            builder.Logging.ClearProviders();
        }

        builder.AddSiloHost();
        _options.Services?.Invoke(builder.Services);
        var app = builder.Build();
        _options.Endpoints?.Invoke(app);
        await app.StartAsync();
        var silo = new WebSilo(app, endpoint);
        lock (_silos)
        {
            _silos.Add(silo);
        }

        return silo;
    }
}

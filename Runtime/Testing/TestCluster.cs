using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrleansDcos.Runtime.Gateway;
using OrleansDcos.Runtime.Hosting;
using OrleansDcos.Runtime.Membership;
using OrleansDcos.Providers.Sql;

namespace OrleansDcos.Runtime.Testing;

/// <summary>Settings of a <see cref="TestCluster"/>.</summary>
public sealed record TestClusterOptions
{
    /// <summary>A connection string to the PostgreSQL database to make the cluster's schema in.</summary>
    public required string PostgresConnectionString { get; init; }

    /// <summary>Assemblies with the grain classes. Default: the calling test assembly.</summary>
    public IReadOnlyList<Assembly> GrainAssemblies { get; init; } = [];

    /// <summary>Silos started by <see cref="TestCluster.StartAsync"/>. Default 3.</summary>
    public int InitialSilos { get; init; } = 3;

    /// <summary>Adjusts membership settings of every silo (e.g. faster detection).</summary>
    public Action<MembershipOptions>? Membership { get; init; }

    /// <summary>Adjusts each silo's runtime (extra providers, streams).</summary>
    public Action<GrainRuntimeBuilder>? Runtime { get; init; }

    /// <summary>Adds services to each silo (the master's options, hosted services).</summary>
    public Action<IServiceCollection>? Services { get; init; }

    /// <summary>Maps extra endpoints on each silo (the master's APIs).</summary>
    public Action<WebApplication>? Endpoints { get; init; }
}

/// <summary>
/// N silos in one process, each its own host on its own loopback address (127.0.0.2, .3, …) and port,
/// sharing a fresh PostgreSQL schema that is dropped at the end — what Orleans' TestingHost gives.
/// <list type="bullet">
/// <item><see cref="KillSiloAsync"/>: the silo stops at once and writes nothing more; peers must detect it.</item>
/// <item><see cref="RestartSiloAsync"/>: same address and port, new generation (a new member).</item>
/// <item><see cref="PartitionSiloAsync"/>: the silo lives on but its silo and gateway traffic is dropped.</item>
/// <item><see cref="WaitForLivenessToStabilizeAsync"/>: until every running silo sees exactly the running silos as active
/// (<see cref="StartAsync"/> ends with it).</item>
/// </list>
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly TestClusterOptions _options;
    private readonly string _schema;
    private readonly string _connectionString;
    private readonly List<TestSilo> _silos = [];
    private int _nextHost = 2;

    private TestCluster(TestClusterOptions options, string schema, string connectionString)
    {
        _options = options;
        _schema = schema;
        _connectionString = connectionString;
        ClusterId = $"test-{schema[^8..]}";
    }

    /// <summary>A connection string to the cluster's schema (for tests that inspect its tables).</summary>
    public string ConnectionString => _connectionString;

    /// <summary>The cluster id (rows of the membership table).</summary>
    public string ClusterId { get; }

    /// <summary>Every silo started, running or not.</summary>
    public IReadOnlyList<TestSilo> Silos => _silos;

    /// <summary>The silos still running (not killed, stopped or fenced).</summary>
    public IReadOnlyList<TestSilo> RunningSilos => _silos.Where(s => s.IsRunning).ToArray();

    /// <summary>The gateways of the running silos, for a cluster client.</summary>
    public IReadOnlyList<Uri> Gateways => RunningSilos.Select(s => s.Address.Endpoint).ToArray();

    /// <summary>Creates the schema and starts <see cref="TestClusterOptions.InitialSilos"/> silos.</summary>
    public static async Task<TestCluster> StartAsync(TestClusterOptions options)
    {
        var schema = $"cluster_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(PostgresDatabase.WithDefaults(options.PostgresConnectionString)))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(options.PostgresConnectionString) { SearchPath = schema }.ConnectionString;
        var cluster = new TestCluster(options, schema, connectionString);
        for (var i = 0; i < options.InitialSilos; i++)
        {
            await cluster.StartSiloAsync();
        }

        await cluster.WaitForLivenessToStabilizeAsync();
        return cluster;
    }

    /// <summary>Starts one more silo on the next loopback address and waits until it is active.</summary>
    public async Task<TestSilo> StartSiloAsync()
    {
        var host = $"127.0.0.{_nextHost++}";
        var silo = await StartSiloAsync(host, FreePort(host));
        _silos.Add(silo);
        return silo;
    }

    /// <summary>Kills a silo: no goodbye to the table, no deactivation; its traffic stops at once.</summary>
    public async Task KillSiloAsync(TestSilo silo)
    {
        silo.Network.Killed = true;
        silo.Network.Partitioned = true;
        await silo.StopAsync(graceful: false);
    }

    /// <summary>Stops a silo gracefully (it marks itself Dead).</summary>
    public Task StopSiloAsync(TestSilo silo) => silo.StopAsync(graceful: true);

    /// <summary>Kills (if still running) and starts the silo again on the same address and port: a new generation.</summary>
    public async Task<TestSilo> RestartSiloAsync(TestSilo silo)
    {
        if (silo.IsRunning)
        {
            await KillSiloAsync(silo);
        }

        var restarted = await StartSiloAsync(silo.Address.Host, silo.Address.Port);
        _silos.Add(restarted);
        return restarted;
    }

    /// <summary>Cuts a running silo off the network (its silo and gateway traffic is dropped both ways).</summary>
    public Task PartitionSiloAsync(TestSilo silo)
    {
        silo.Network.Partitioned = true;
        return Task.CompletedTask;
    }

    /// <summary>Waits until every running silo's view has exactly the running silos as Active.</summary>
    public async Task WaitForLivenessToStabilizeAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var running = RunningSilos.Select(s => s.Address).Order().ToArray();
            if (RunningSilos.All(s => s.Membership.ActiveSilos.SequenceEqual(running)))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                var views = string.Join("; ", RunningSilos.Select(s => $"{s.Address} sees [{string.Join(", ", s.Membership.ActiveSilos)}]"));
                throw new TimeoutException($"liveness did not stabilize on [{string.Join(", ", running)}]: {views}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Stops every silo and drops the schema.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos.Where(s => s.IsRunning))
        {
            await silo.StopAsync(graceful: true);
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgresDatabase.WithDefaults(_options.PostgresConnectionString));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private async Task<TestSilo> StartSiloAsync(string host, int port)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{host}:{port}");
        var assemblies = _options.GrainAssemblies.Count > 0 ? _options.GrainAssemblies : [Assembly.GetCallingAssembly()];
        var silo = new TestSilo();
        var runtime = builder.Services.AddGrainRuntime([.. assemblies]).UsePostgres(_connectionString).UsePostgresClustering(ClusterId);
        _options.Runtime?.Invoke(runtime);
        _options.Services?.Invoke(builder.Services);
        builder.Services.Configure<MembershipOptions>(o => _options.Membership?.Invoke(o));
        builder.Services.Decorate<IMembershipTable>(table => silo.Table = new FaultyMembershipTable(table));
        builder.Services.Replace(ServiceDescriptor.Singleton<IFatalErrorHandler>(silo));
        builder.Services.Replace(ServiceDescriptor.Singleton(silo.Network));
        var app = builder.Build();
        app.MapGrainGateway();
        app.MapSiloEndpoints();
        _options.Endpoints?.Invoke(app);
        await silo.StartAsync(app);
        return silo;
    }

    private static int FreePort(string host)
    {
        using var listener = new TcpListener(IPAddress.Parse(host), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Wraps a registered singleton.</summary>
internal static class ServiceCollectionDecoration
{
    public static void Decorate<T>(this IServiceCollection services, Func<T, T> decorate)
        where T : class
    {
        var registration = services.Last(d => d.ServiceType == typeof(T));
        var factory = registration.ImplementationFactory ?? throw new InvalidOperationException($"{typeof(T).Name} must be registered by a factory to be decorated");
        services.Replace(ServiceDescriptor.Singleton(sp => decorate((T)factory(sp))));
    }
}

/// <summary>One silo of a <see cref="TestCluster"/>.</summary>
public sealed class TestSilo : IFatalErrorHandler
{
    private WebApplication? _app;
    private Task? _stopping;

    /// <summary>The silo's network switches (partition, killed).</summary>
    public SiloNetwork Network { get; } = new();

    /// <summary>Its access to the membership table (set <see cref="FaultyMembershipTable.Unreachable"/> to cut it).</summary>
    public FaultyMembershipTable Table { get; internal set; } = null!;

    /// <summary>Its address (host:port:generation), once joined.</summary>
    public SiloAddress Address => Membership.Self ?? throw new InvalidOperationException("the silo has not joined yet");

    /// <summary>Its view of the cluster.</summary>
    public ClusterMembership Membership { get; private set; } = null!;

    /// <summary>Its services.</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>Grain references that call through this silo.</summary>
    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>False once killed, stopped or fenced.</summary>
    public bool IsRunning => _stopping is null;

    /// <summary>Why it fenced itself, or null.</summary>
    public string? FatalError { get; private set; }

    void IFatalErrorHandler.OnFatalError(string reason)
    {
        FatalError = reason;
        Network.Partitioned = true;
        _ = StopAsync(graceful: false);
    }

    internal async Task StartAsync(WebApplication app)
    {
        _app = app;
        Membership = app.Services.GetRequiredService<ClusterMembership>();
        await app.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Membership.IsAdmitting)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the silo did not join the cluster within 30 s");
            }

            await Task.Delay(20);
        }
    }

    internal Task StopAsync(bool graceful)
    {
        lock (this)
        {
            return _stopping ??= StopCoreAsync(graceful);
        }
    }

    private async Task StopCoreAsync(bool graceful)
    {
        using var timeout = new CancellationTokenSource(graceful ? TimeSpan.FromSeconds(10) : TimeSpan.Zero);
        try
        {
            await _app!.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A kill does not wait for anything.
        }

        await _app!.DisposeAsync();
    }
}

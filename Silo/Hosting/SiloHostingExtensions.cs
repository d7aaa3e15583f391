using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using OrleansDcos.Grains.Master;
using OrleansDcos.Providers.Hosting;
using OrleansDcos.Providers.Sql;

namespace OrleansDcos.Silo.Hosting;

/// <summary>
/// Wires the silo host: configuration sources, validated options, the default listening URL, and Microsoft Orleans
/// (<c>UseOrleans</c>) — embedded: localhost clustering (gateway 127.0.0.1:30000, Orleans' default cluster and
/// service ids) with grain state, reminders and the event log in a SQLite file; cluster: ADO.NET clustering and
/// reminders on PostgreSQL (the project's scripts, applied at start) with grain state and the event log there too.
/// </summary>
public static class SiloHostingExtensions
{
    /// <summary>The prefix of environment variables read as settings (<c>DCOS_Silo__ClusterId</c>).</summary>
    public const string EnvironmentPrefix = "DCOS_";

    /// <summary>The durable stream provider every silo has (task status and Marathon events travel on it).</summary>
    public const string DefaultStreamProvider = MasterStreamProvider.Name;

    /// <summary>The grain storage every grain's state is in.</summary>
    public const string DefaultStorage = "Default";

    /// <summary>
    /// Membership tuned so a silo killed without a goodbye is declared dead within 10 s (measured 2–3 s), while a busy
    /// one is not: probes time out after 1 s and three missed probes make a suspicion.
    /// </summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <inheritdoc cref="ProbeTimeout" />
    public const int NumMissedProbesLimit = 3;

    /// <summary>How long a dead silo's grains are held back before they may activate elsewhere (from its estimated failure).</summary>
    public static readonly TimeSpan DirectoryLease = TimeSpan.FromSeconds(5);

    /// <summary>Where the Orleans Dashboard is served (<see cref="MapSiloDashboard"/>).</summary>
    public const string DashboardPath = "/dashboard";

    /// <summary>Serves the Orleans Dashboard under <see cref="DashboardPath"/>.</summary>
    public static IEndpointRouteBuilder MapSiloDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOrleansDashboard(DashboardPath);
        return endpoints;
    }

    /// <summary>Adds the silo's settings and services to <paramref name="builder"/>.</summary>
    public static WebApplicationBuilder AddSiloHost(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);

        // Listen on the documented default unless the standard ASP.NET Core knobs say otherwise.
        if (!HasExplicitEndpoints(builder.Configuration))
        {
            builder.WebHost.UseUrls(SiloOptions.DefaultUrl);
        }

        builder.Services.AddSingleton<IValidateOptions<SiloOptions>>(new ProblemsValidator<SiloOptions>(o => o.Problems()));
        builder.Services.TryAddSingleton<ClusterLeader>();
        builder.Services.AddOptions<SiloOptions>()
            .BindConfiguration(SiloOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddProblemDetails();

        // Which clustering a silo uses is decided now; every other Orleans setting is read from the validated options when
        // the silo starts (so settings added late — a test host's — count, and a bad one stops the silo with one line
        // before Orleans runs).
        var cluster = string.Equals(builder.Configuration[$"{SiloOptions.SectionName}:{nameof(SiloOptions.Mode)}"], nameof(SiloMode.Cluster), StringComparison.OrdinalIgnoreCase);
        var contentRoot = builder.Environment.ContentRootPath;

        // TLS, too, is decided now (Kestrel's and Orleans' connections are built with it); bad TLS settings are left to
        // the validation, which stops the silo naming them.
        var tls = builder.Configuration.GetSection("Security:Tls").Get<Security.TlsSettings>() ?? new Security.TlsSettings();
        var material = tls.Configured && tls.Problems().Count == 0 ? tls.Load() : ((System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate, System.Security.Cryptography.X509Certificates.X509Certificate2 Ca)?)null;
        if (material is { } https)
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(h => h.ServerCertificate = https.Certificate));
        }

        builder.UseOrleans(silo =>
        {
            ConfigureOrleans(silo, cluster, contentRoot);
            if (material is { } orleans)
            {
                // Silo to silo and client to gateway: both ends show a certificate of the cluster CA, and only those are taken.
                silo.UseTls(orleans.Certificate, o =>
                {
                    o.RemoteCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
                    o.ClientCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
                    o.RemoteCertificateValidation = (certificate, _, _) => Scheduling.Security.CertificateAuthority.IsSignedBy(certificate, orleans.Ca);
                });
            }
        });
        return builder;
    }

    /// <summary>The database of <paramref name="options"/>: <c>dcos.db</c> in the data directory, or PostgreSQL.</summary>
    public static SqlDatabase OpenDatabase(SiloOptions options, string contentRoot) => options.Mode == SiloMode.Cluster
        ? new PostgresDatabase(options.PostgresConnectionString ?? "")
        : new SqliteDatabase(Path.Combine(Path.GetFullPath(options.DataDirectory, contentRoot), "dcos.db"));

    /// <summary>The address silos and clients reach this silo on.</summary>
    public static IPAddress AdvertisedAddress(SiloOptions options, string? apiHost) =>
        options.AdvertisedAddress is { } configured && IPAddress.TryParse(configured, out var address) ? address
        : apiHost is { } host && IPAddress.TryParse(host, out var hostAddress) && !hostAddress.Equals(IPAddress.Any) && !hostAddress.Equals(IPAddress.IPv6Any) ? hostAddress
        : IPAddress.Loopback;

    private static void ConfigureOrleans(ISiloBuilder silo, bool cluster, string contentRoot)
    {
        var services = silo.Services;
        services.AddSingleton<SqlDatabase>(sp => OpenDatabase(sp.GetRequiredService<IOptions<SiloOptions>>().Value, contentRoot));

        // The silo's name is its API address: what /v2/leader and /master/state tell clients about the leader.
        services.AddOptions<Orleans.Configuration.SiloOptions>().Configure<IConfiguration>((o, configuration) =>
            o.SiloName = ApiAddress(configuration) is { } api ? $"{api.Host}:{api.Port}" : Environment.MachineName);
        if (cluster)
        {
            services.AddOptions<ClusterOptions>().Configure<IOptions<SiloOptions>>((o, options) =>
            {
                o.ClusterId = options.Value.ClusterId;
                o.ServiceId = options.Value.ServiceId;
            });
            services.AddOptions<EndpointOptions>().Configure<IOptions<SiloOptions>, IConfiguration>((o, options, configuration) =>
            {
                o.AdvertisedIPAddress = AdvertisedAddress(options.Value, ApiAddress(configuration)?.Host);
                o.SiloPort = options.Value.SiloPort;
                o.GatewayPort = options.Value.GatewayPort;
                o.SiloListeningEndpoint = new IPEndPoint(o.AdvertisedIPAddress, o.SiloPort);
                o.GatewayListeningEndpoint = new IPEndPoint(o.AdvertisedIPAddress, o.GatewayPort);
            });
            silo.UseAdoNetClustering((OptionsBuilder<AdoNetClusteringSiloOptions> clustering) => clustering.Configure<IOptions<SiloOptions>>((o, options) =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = options.Value.PostgresConnectionString;
                }))
                .UseAdoNetReminderService((OptionsBuilder<AdoNetReminderTableOptions> reminders) => reminders.Configure<IOptions<SiloOptions>>((o, options) =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = options.Value.PostgresConnectionString;
                }));
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = ProbeTimeout;
                o.NumMissedProbesLimit = NumMissedProbesLimit;
            });

            // Orleans' default directory deactivates grains on the surviving silos whose directory entry lived on a dead
            // one: agents' command queues, frameworks' event queues and subscriptions would go with them. The distributed
            // directory keeps survivors; it holds a dead silo's grains back for a lease that starts at the estimated
            // failure, so a lease just over the detection window (3 s) stalls them about 2 s rather than the default 30.
            // Marked experimental in 10.4.2 (ORLEANSEXP003); measured here: docs/BENCHMARKS.md, silo-failover.
#pragma warning disable ORLEANSEXP003
            silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
            silo.Configure<GrainDirectoryOptions>(o => o.RangeLeaseDuration = DirectoryLease);
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
                new PostgresSchemaParticipant(sp.GetRequiredService<IOptions<SiloOptions>>().Value.PostgresConnectionString ?? ""));
        }
        else
        {
            // Localhost clustering: Orleans' default cluster and service ids, so a bare UseLocalhostClustering() client connects.
            silo.UseLocalhostClustering();
            services.AddOptions<EndpointOptions>().Configure<IOptions<SiloOptions>>((o, options) =>
            {
                o.SiloPort = options.Value.SiloPort;
                o.GatewayPort = options.Value.GatewayPort;
                o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Loopback, o.SiloPort);
                o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Loopback, o.GatewayPort);
            });
            services.AddOptions<DevelopmentClusterMembershipOptions>().Configure<IOptions<SiloOptions>>((o, options) =>
                o.PrimarySiloEndpoint = new IPEndPoint(IPAddress.Loopback, options.Value.SiloPort));
            silo.UseSqlReminderTable(ServiceIdOf);
        }

        services.AddOptions<GrainCollectionOptions>().Configure<IOptions<SiloOptions>>((o, options) =>
        {
            o.CollectionAge = options.Value.GrainCollectionAge;
            o.CollectionQuantum = options.Value.GrainCollectionQuantum;
        });
        silo.AddSqlGrainStorage(DefaultStorage, ServiceIdOf);
        silo.MigratePreviousLayout(ServiceIdOf);

        // Microsoft.Orleans.Dashboard: silos, grains, calls and errors, served under DashboardPath (MapSiloDashboard).
        // The live log trace is off: the API's own log is what operators read, and it would stream every line.
        silo.AddDashboard(o =>
        {
            o.HideTrace = true;
            o.CounterUpdateIntervalMs = 5000;
        });
        // Each queue is polled by its pulling agent: the embedded silo's one SQLite file needs few queues. Grains that
        // subscribe get events within half a second; the SSE bus and webhooks read the log themselves, signalled at once.
        silo.AddEventLogStreams(DefaultStreamProvider, queues: cluster ? 8 : 2, serviceId: ServiceIdOf);
        services.Configure<StreamPullingAgentOptions>(DefaultStreamProvider, o => o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(500));
    }

    /// <summary>The service id the project's providers keep their rows under (<c>Silo:ServiceId</c>, read at start).</summary>
    private static string ServiceIdOf(IServiceProvider services) => services.GetRequiredService<IOptions<SiloOptions>>().Value.ServiceId;

    /// <summary>The first URL the API will listen on, as configured (null when it cannot be told before start).</summary>
    public static Uri? ApiAddress(IConfiguration configuration)
    {
        var urls = configuration["urls"] is { Length: > 0 } configured ? configured : SiloOptions.DefaultUrl;
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return first is not null && Uri.TryCreate(first.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri : null;
    }

    private static bool HasExplicitEndpoints(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"])
        || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").Exists();

    /// <summary>Applies the project's PostgreSQL scripts before Orleans' membership reads its queries (first lifecycle stage).</summary>
    private sealed class PostgresSchemaParticipant(string connectionString) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(PostgresSchemaParticipant), ServiceLifecycleStage.First, cancellation => OrleansSqlScripts.ApplyAsync(connectionString, cancellation));
    }
}

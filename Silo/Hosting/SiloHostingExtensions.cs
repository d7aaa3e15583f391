using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansDcos.Grains;
using OrleansDcos.Runtime.Directory;
using OrleansDcos.Runtime.Hosting;
using OrleansDcos.Runtime.Membership;
using OrleansDcos.Providers.Sql;

namespace OrleansDcos.Silo.Hosting;

/// <summary>Wires the silo host: configuration sources, validated options, default listening URL.</summary>
public static class SiloHostingExtensions
{
    /// <summary>The prefix of environment variables read as settings (<c>DCOS_Silo__ClusterId</c>).</summary>
    public const string EnvironmentPrefix = "DCOS_";

    /// <summary>The durable stream provider every silo has (task status events travel on it).</summary>
    public const string DefaultStreamProvider = OrleansDcos.Grains.Master.MasterStreamProvider.Name;

    /// <summary>Adds the silo's settings and services to <paramref name="builder"/>.</summary>
    public static WebApplicationBuilder AddSiloHost(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);

        // Listen on the documented default unless the standard ASP.NET Core knobs say otherwise.
        if (!HasExplicitEndpoints(builder.Configuration))
        {
            builder.WebHost.UseUrls(SiloOptions.DefaultUrl);
        }

        builder.Services.AddSingleton<IValidateOptions<SiloOptions>, SiloOptionsValidator>();
        builder.Services.TryAddSingleton<ClusterLeader>();
        builder.Services.AddOptions<SiloOptions>()
            .BindConfiguration(SiloOptions.SectionName)
            .ValidateOnStart();

        builder.Services.AddProblemDetails();

        // The grain runtime: SQLite under the data directory in embedded mode, PostgreSQL in a cluster.
        var contentRoot = builder.Environment.ContentRootPath;
        var runtime = builder.Services.AddGrainRuntime(typeof(GrainsAssembly).Assembly)
            .UseDatabase(sp => OpenDatabase(sp.GetRequiredService<IOptions<SiloOptions>>().Value, contentRoot))
            .AddStreams(DefaultStreamProvider);

        // Membership: PostgreSQL in a cluster, a cluster of one in memory otherwise.
        // Only the raw id here: binding (and its errors) happens once, validated, at start.
        var clusterId = builder.Configuration[$"{SiloOptions.SectionName}:{nameof(SiloOptions.ClusterId)}"] ?? new SiloOptions().ClusterId;
        static bool Clustered(IServiceProvider sp) => sp.GetRequiredService<IOptions<SiloOptions>>().Value.Mode == SiloMode.Cluster;
        runtime.UseClustering(
            clusterId,
            sp => Clustered(sp) ? new PostgresMembershipTable((PostgresDatabase)sp.GetRequiredService<SqlDatabase>(), clusterId) : new InMemoryMembershipTable(),
            sp => Clustered(sp) ? new PostgresGrainDirectory(sp.GetRequiredService<SqlDatabase>(), clusterId) : new InMemoryGrainDirectory());
        return builder;
    }

    /// <summary>The database of <paramref name="options"/>: <c>dcos.db</c> in the data directory, or PostgreSQL.</summary>
    public static SqlDatabase OpenDatabase(SiloOptions options, string contentRoot) => options.Mode == SiloMode.Cluster
        ? new PostgresDatabase(options.PostgresConnectionString!)
        : new SqliteDatabase(Path.Combine(Path.GetFullPath(options.DataDirectory, contentRoot), "dcos.db"));

    private static bool HasExplicitEndpoints(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"])
        || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").Exists();
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Runtime.Directory;
using OrleansDcos.Runtime.Membership;
using OrleansDcos.Runtime.Messaging;
using OrleansDcos.Runtime.Reminders;
using OrleansDcos.Providers.Sql;
using OrleansDcos.Runtime.Storage;
using OrleansDcos.Runtime.Streams;
using Microsoft.Extensions.Logging;

namespace OrleansDcos.Runtime.Hosting;

/// <summary>Chooses the runtime's providers: <c>services.AddGrainRuntime(asm).UseSqlite(path)</c>.</summary>
public sealed class GrainRuntimeBuilder(IServiceCollection services)
{
    private readonly List<string> _streamProviders = [];

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; } = services;

    /// <summary>State (default storage) and reminders in a SQLite file: the embedded default.</summary>
    public GrainRuntimeBuilder UseSqlite(string path) => UseDatabase(_ => new SqliteDatabase(path));

    /// <summary>State (default storage) and reminders in PostgreSQL: the cluster mode.</summary>
    public GrainRuntimeBuilder UsePostgres(string connectionString) => UseDatabase(_ => new PostgresDatabase(connectionString));

    /// <summary>State and reminders in memory (unit tests; nothing survives the process).</summary>
    public GrainRuntimeBuilder UseInMemory()
    {
        Services.AddKeyedSingleton<IGrainStorage>(GrainClassInfo.DefaultStorage, new MemoryGrainStorage());
        Services.Replace(ServiceDescriptor.Singleton<IReminderTable>(new MemoryReminderTable()));
        return this;
    }

    /// <summary>
    /// A stream provider named <paramref name="name"/>: durable in the runtime's database (after
    /// <see cref="UseSqlite"/> or <see cref="UsePostgres"/>), else in memory.
    /// </summary>
    public GrainRuntimeBuilder AddStreams(string name, StreamProviderOptions? options = null)
    {
        _streamProviders.Add(name);
        Services.AddKeyedSingleton<IStreamProvider>(name, (sp, _) =>
        {
            var database = sp.GetService<SqlDatabase>();
            IStreamStore store = database is null
                ? new MemoryStreamStore()
                : new SqlStreamStore(database, sp.GetRequiredService<IOptions<GrainRuntimeOptions>>().Value.ServiceId);
            return new PersistentStreamProvider(name, store, options ?? new StreamProviderOptions(), sp.GetRequiredService<Catalog>(),
                sp.GetRequiredService<IRingOwnership>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<PersistentStreamProvider>());
        });
        return this;
    }

    /// <summary>The stream providers added, started with the runtime.</summary>
    internal IReadOnlyList<string> StreamProviders => _streamProviders;

    /// <summary>
    /// Cluster membership in PostgreSQL (<paramref name="clusterId"/> separates clusters sharing a database):
    /// silos join, probe each other, vote dead members out and fence themselves. Needs <see cref="UsePostgres"/>.
    /// </summary>
    public GrainRuntimeBuilder UsePostgresClustering(string clusterId) =>
        UseClustering(clusterId,
            sp => new PostgresMembershipTable((PostgresDatabase)sp.GetRequiredService<SqlDatabase>(), clusterId),
            sp => new PostgresGrainDirectory(sp.GetRequiredService<SqlDatabase>(), clusterId));

    /// <summary>Membership of a single silo (embedded mode), in memory.</summary>
    public GrainRuntimeBuilder UseInMemoryClustering(string clusterId = "dcos") =>
        UseClustering(clusterId, _ => new InMemoryMembershipTable(), _ => new InMemoryGrainDirectory());

    /// <summary>Membership over the given table and the grain directory beside it (both shared by every silo of the cluster).</summary>
    public GrainRuntimeBuilder UseClustering(string clusterId, Func<IServiceProvider, IMembershipTable> table, Func<IServiceProvider, IGrainDirectory> directory)
    {
        Services.Replace(ServiceDescriptor.Singleton(directory));
        Services.TryAddSingleton<SiloMessenger>();
        Services.TryAddEnumerable(ServiceDescriptor.Transient<Microsoft.AspNetCore.Hosting.IStartupFilter, SiloLinkStartupFilter>());
        Services.TryAddSingleton<GrainRouter>();
        Services.AddValidatedOptions<MembershipOptions>(MembershipOptions.SectionName).Configure(o => o.ClusterId = clusterId);
        Services.Replace(ServiceDescriptor.Singleton(table));
        Services.TryAddSingleton<ClusterMembership>();
        Services.Replace(ServiceDescriptor.Singleton<IRingOwnership, MembershipRingOwnership>());
        Services.TryAddSingleton<SiloNetwork>();
        Services.TryAddSingleton<IFatalErrorHandler, ExitOnFatalError>();
        Services.AddHostedService<MembershipAgent>();
        return this;
    }

    /// <summary>An extra named grain storage, for <c>[PersistentState("s", "name")]</c>.</summary>
    public GrainRuntimeBuilder AddGrainStorage(string name, Func<IServiceProvider, IGrainStorage> factory)
    {
        Services.AddKeyedSingleton(name, (sp, _) => factory(sp));
        return this;
    }

    /// <summary>State and reminders in the database <paramref name="database"/> returns (chosen when first needed, from settings).</summary>
    public GrainRuntimeBuilder UseDatabase(Func<IServiceProvider, SqlDatabase> database)
    {
        Services.Replace(ServiceDescriptor.Singleton(database));
        Services.AddKeyedSingleton<IGrainStorage>(GrainClassInfo.DefaultStorage, (sp, _) =>
            new SqlGrainStorage(sp.GetRequiredService<SqlDatabase>(), sp.GetRequiredService<IOptions<GrainRuntimeOptions>>().Value.ServiceId));
        Services.Replace(ServiceDescriptor.Singleton<IReminderTable>(sp =>
            new SqlReminderTable(sp.GetRequiredService<SqlDatabase>(), sp.GetRequiredService<IOptions<GrainRuntimeOptions>>().Value.ServiceId)));
        return this;
    }
}

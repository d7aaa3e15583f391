using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using Orleans.Runtime.Providers;
using Orleans.Storage;
using OrleansDcos.Providers.Reminders;
using OrleansDcos.Providers.Sql;
using OrleansDcos.Providers.Storage;
using OrleansDcos.Providers.Streams;

namespace OrleansDcos.Providers.Hosting;

/// <summary>Registers the project's SQL providers with an Orleans silo: one <see cref="SqlDatabase"/>, grain storage, reminders and event-log streams in it.</summary>
public static class SqlProvidersSiloBuilderExtensions
{
    /// <summary>The silo's tables live in the SQLite file at <paramref name="path"/> (created when missing).</summary>
    public static ISiloBuilder UseSqliteDatabase(this ISiloBuilder builder, string path)
    {
        builder.Services.AddSingleton<SqlDatabase>(_ => new SqliteDatabase(path));
        return builder;
    }

    /// <summary>The silo's tables live in PostgreSQL (the connection string's database and search path).</summary>
    public static ISiloBuilder UsePostgresDatabase(this ISiloBuilder builder, string connectionString)
    {
        builder.Services.AddSingleton<SqlDatabase>(_ => new PostgresDatabase(connectionString));
        return builder;
    }

    /// <summary>
    /// Grain storage <paramref name="name"/> in the silo's database (<see cref="SqlGrainStorage"/>), scoped to the
    /// service id <paramref name="serviceId"/> gives (default: the cluster's).
    /// </summary>
    public static ISiloBuilder AddSqlGrainStorage(this ISiloBuilder builder, string name, Func<IServiceProvider, string>? serviceId = null)
    {
        builder.Services.AddGrainStorage(name, (services, _) => new SqlGrainStorage(services.GetRequiredService<SqlDatabase>(), ServiceId(services, serviceId), services.GetService<TimeProvider>()));
        return builder;
    }

    /// <summary>Reminders in the silo's database (<see cref="SqlReminderTable"/>), scoped to <paramref name="serviceId"/> (default: the cluster's service id).</summary>
    public static ISiloBuilder UseSqlReminderTable(this ISiloBuilder builder, Func<IServiceProvider, string>? serviceId = null)
    {
        builder.AddReminders();
        builder.Services.AddSingleton<IReminderTable>(services => new SqlReminderTable(services.GetRequiredService<SqlDatabase>(), ServiceId(services, serviceId)));
        return builder;
    }

    /// <summary>
    /// Carries a database of the previous home-made runtime over at start (<see cref="PreviousLayoutMigration"/>): its
    /// reminders move into whichever reminder table the silo uses, and what is not carried over is logged.
    /// </summary>
    public static ISiloBuilder MigratePreviousLayout(this ISiloBuilder builder, Func<IServiceProvider, string>? serviceId = null)
    {
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => new PreviousLayoutMigration(
            services.GetRequiredService<SqlDatabase>(), ServiceId(services, serviceId), services.GetRequiredService<IReminderTable>(),
            services.GetRequiredService<ILogger<PreviousLayoutMigration>>()));
        return builder;
    }

    /// <summary>
    /// Persistent stream provider <paramref name="name"/> over the silo's <see cref="EventLog"/>
    /// (<see cref="EventLogQueueAdapterFactory"/>), with <paramref name="queues"/> queues — fixed for the life of the
    /// log, since a stream's positions are those of its queue. Explicit subscriptions are kept in grain storage
    /// "PubSubStore" in the same database unless one is registered already.
    /// </summary>
    public static ISiloBuilder AddEventLogStreams(
        this ISiloBuilder builder, string name, int queues = 8, Action<EventLogStreamOptions>? configure = null, Func<IServiceProvider, string>? serviceId = null)
    {
        builder.Services.TryAddEventLog(serviceId);
        var pubSub = ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME;
        if (!builder.Services.Any(d => d.IsKeyedService && d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, pubSub)))
        {
            // Orleans' pub-sub state (PubSubPublisherState and friends) round-trips only through Orleans' serializer.
            builder.Services.AddGrainStorage(pubSub, (services, _) => new SqlGrainStorage(services.GetRequiredService<SqlDatabase>(), ServiceId(services, serviceId),
                services.GetService<TimeProvider>(), new OrleansGrainStorageSerializer(services.GetRequiredService<Orleans.Serialization.Serializer>())));
        }

        builder.Services.AddKeyedSingleton<IMessageDeliveryBackoffProvider>(name, new EventLogDeliveryBackoff());
        return builder.AddPersistentStreams(name, EventLogQueueAdapterFactory.Create, streams =>
        {
            streams.Configure<HashRingStreamQueueMapperOptions>(options => options.Configure(o => o.TotalQueueCount = queues));
            streams.Configure<EventLogStreamOptions>(options => options.Configure(o => configure?.Invoke(o)));
        });
    }

    private static string ServiceId(IServiceProvider services, Func<IServiceProvider, string>? serviceId) =>
        serviceId?.Invoke(services) ?? services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;

    private static void TryAddEventLog(this IServiceCollection services, Func<IServiceProvider, string>? serviceId)
    {
        if (!services.Any(d => d.ServiceType == typeof(EventLog)))
        {
            services.AddSingleton(sp => new EventLog(sp.GetRequiredService<SqlDatabase>(), ServiceId(sp, serviceId), sp.GetService<TimeProvider>()));
        }

        services.TryAddSingleton<EventLogReader>();
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using OrleansDcos.Providers.Reminders;
using OrleansDcos.Providers.Sql;
using OrleansDcos.Providers.Storage;

namespace OrleansDcos.Providers.Hosting;

/// <summary>Registers the project's SQL providers with an Orleans silo: one <see cref="SqlDatabase"/>, grain storage and reminders in it.</summary>
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

    /// <summary>Grain storage <paramref name="name"/> in the silo's database (<see cref="SqlGrainStorage"/>), scoped to the cluster's service id.</summary>
    public static ISiloBuilder AddSqlGrainStorage(this ISiloBuilder builder, string name)
    {
        builder.Services.AddGrainStorage(name, (services, _) =>
            new SqlGrainStorage(services.GetRequiredService<SqlDatabase>(), services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        return builder;
    }

    /// <summary>Reminders in the silo's database (<see cref="SqlReminderTable"/>), scoped to the cluster's service id.</summary>
    public static ISiloBuilder UseSqlReminderTable(this ISiloBuilder builder)
    {
        builder.AddReminders();
        builder.Services.AddSingleton<IReminderTable>(services =>
            new SqlReminderTable(services.GetRequiredService<SqlDatabase>(), services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        return builder;
    }
}

using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace OrleansDcos.Tests.Orleans;

/// <summary>
/// Silos (and the test's client) of an in-process Orleans cluster on ADO.NET clustering over the project's PostgreSQL
/// scripts, with the membership tuned as the product tunes it (1 s probes, 3 missed) and a client that does not wait
/// 30 s on a dead silo; a subclass adds what its test needs (reminders, streams). On <see cref="TestCluster"/>, not
/// <see cref="InProcessTestCluster"/>: in 10.4.2 the latter always puts its own in-memory membership table and
/// transport in place (<c>UseTestClusterMembership</c> is internal), so it cannot test membership on PostgreSQL.
/// </summary>
public abstract class PostgresClusterSilo : ISiloConfigurator, IClientBuilderConfigurator
{
    /// <summary>Where the connection string reaches the configurators.</summary>
    public const string ConnectionStringKey = "OrleansDcosTestPostgres";

    /// <summary>Starts <paramref name="silos"/> silos of <typeparamref name="TSilo"/> on the database of <paramref name="connectionString"/> (scripts applied).</summary>
    public static async Task<TestCluster> StartAsync<TSilo>(string connectionString, int silos)
        where TSilo : PostgresClusterSilo, new()
    {
        await OrleansDcos.Providers.Sql.OrleansSqlScripts.ApplyAsync(connectionString);
        var builder = new TestClusterBuilder((short)silos);
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<TSilo>();
        builder.AddClientBuilderConfigurator<TSilo>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <inheritdoc />
    public void Configure(ISiloBuilder siloBuilder)
    {
        var connectionString = siloBuilder.Configuration[ConnectionStringKey]!;
        siloBuilder
            .UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            })
            .Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 3;
            });
        ConfigureSilo(siloBuilder, connectionString);
    }

    /// <inheritdoc />
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) => clientBuilder
        .UseAdoNetClustering(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = configuration[ConnectionStringKey];
        })
        .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));

    /// <summary>What the test's silos need beyond clustering.</summary>
    protected abstract void ConfigureSilo(ISiloBuilder siloBuilder, string connectionString);
}

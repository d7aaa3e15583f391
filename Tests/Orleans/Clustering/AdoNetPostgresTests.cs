using Microsoft.Extensions.Configuration;
using Npgsql;
using OrleansDcos.Providers.Sql;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Orleans.Clustering;

/// <summary>
/// Microsoft.Orleans' ADO.NET clustering and reminders on PostgreSQL, over the project's own scripts
/// (infra/sql/postgresql): silos join and see each other, a killed one is declared dead, a reminder keeps ticking on
/// the survivor.
/// </summary>
[Trait("Area", "Orleans")]
[Collection(FailoverCollection.Name)]
public sealed class AdoNetPostgresTests
{
    [RequiresFact(Component.Postgres)]
    public async Task Silos_form_a_cluster_on_the_projects_scripts_and_a_reminder_outlives_its_killed_silo()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var schema = await PostgresSchema.CreateAsync();
        await OrleansSqlScripts.ApplyAsync(schema.ConnectionString); // and again as the cluster starts: every script is idempotent

        await using var cluster = await PostgresClusterSilo.StartAsync<ReminderSilo>(schema.ConnectionString, silos: 2);

        var statuses = await StatusesAsync(schema, cluster.Options.ClusterId);
        Assert.Equal([3, 3], statuses); // both Active

        var probe = cluster.Client.GetGrain<IProbeGrain>($"probe-{Guid.NewGuid():N}");
        await probe.StartTicking();
        var key = probe.GetPrimaryKeyString();
        await Poll.UntilAsync(() => Task.FromResult(ProbeTicks.Counts.GetValueOrDefault(key) >= 2), TimeSpan.FromSeconds(20), "the reminder ticks");

        // The silo that hosts the grain dies without a goodbye; the other declares it dead and the reminder goes on there.
        var host = await probe.Silo();
        var victim = cluster.Silos.Single(s => s.SiloAddress.ToString() == host);
        await cluster.KillSiloAsync(victim);
        int[] survivorAndDead = [3, 6];
        await Poll.UntilAsync(async () => (await StatusesAsync(schema, cluster.Options.ClusterId)).SequenceEqual(survivorAndDead), TimeSpan.FromSeconds(20), "the killed silo declared dead (6)");
        var before = ProbeTicks.Counts[key];
        await Poll.UntilAsync(() => Task.FromResult(ProbeTicks.Counts[key] >= before + 2), TimeSpan.FromSeconds(60), "the reminder ticks on the survivor");
        Assert.NotEqual(host, await probe.Silo());
    }

    private static async Task<int[]> StatusesAsync(PostgresSchema schema, string clusterId)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status FROM orleansmembershiptable WHERE deploymentid = @c ORDER BY status", connection);
        command.Parameters.AddWithValue("c", clusterId);
        var statuses = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            statuses.Add(reader.GetInt32(0));
        }

        return [.. statuses];
    }

    /// <summary>Silos with ADO.NET reminders over the test's schema.</summary>
    private sealed class ReminderSilo : PostgresClusterSilo
    {
        protected override void ConfigureSilo(ISiloBuilder siloBuilder, string connectionString) => siloBuilder
            .UseAdoNetReminderService(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            })
            .Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
    }
}

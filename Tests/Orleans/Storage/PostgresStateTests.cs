using Orleans.TestingHost;
using OrleansDcos.Providers.Hosting;
using OrleansDcos.Providers.Sql;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Orleans.Storage;

/// <summary>
/// Grain state on PostgreSQL through either provider a cluster may use — the project's batching one, or Orleans'
/// ADO.NET one on the project's script (infra/sql/postgresql/04) — survives the silo, and a second writer of the same
/// grain with an old version is refused.
/// </summary>
[Trait("Area", "Orleans")]
public sealed class PostgresStateTests
{
    [Theory]
    [InlineData("sql")]
    [InlineData("adonet")]
    public async Task State_outlives_the_silo_and_a_stale_write_is_refused(string provider)
    {
        TestEnvironment.Require(Component.Postgres);
        await using var schema = await PostgresSchema.CreateAsync();
        await OrleansSqlScripts.ApplyAsync(schema.ConnectionString);
        var serviceId = $"svc-{Guid.NewGuid():N}";
        var key = $"counter-{Guid.NewGuid():N}";

        await using (var first = await StartAsync(schema.ConnectionString, provider, serviceId))
        {
            await first.Client.GetGrain<IStoredCounterGrain>(key).Add(4);
            await first.Client.GetGrain<IStoredCounterGrain>(key).Add(1);

            // A second activation of the same grain elsewhere (here: a grain of another cluster on the same rows) holds an old version.
            await using var second = await StartAsync(schema.ConnectionString, provider, serviceId);
            var twin = second.Client.GetGrain<IStoredCounterGrain>(key);
            Assert.Equal(5, await twin.Get());
            await first.Client.GetGrain<IStoredCounterGrain>(key).Add(10);
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => twin.Add(100));
            Assert.Contains("InconsistentState", refused.GetType().Name + refused.InnerException?.GetType().Name, StringComparison.Ordinal);
            await first.StopAllSilosAsync();
        }

        await using var restarted = await StartAsync(schema.ConnectionString, provider, serviceId);
        Assert.Equal(15, await restarted.Client.GetGrain<IStoredCounterGrain>(key).Get());
    }

    private static Task<InProcessTestCluster> StartAsync(string connectionString, string provider, string serviceId) =>
        OneSiloCluster.StartAsync(serviceId, silo =>
        {
            if (provider == "adonet")
            {
                silo.AddAdoNetGrainStorage("Default", o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = connectionString;
                });
            }
            else
            {
                silo.UsePostgresDatabase(connectionString).AddSqlGrainStorage("Default");
            }
        });
}

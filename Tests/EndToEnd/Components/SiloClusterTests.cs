using System.Diagnostics;
using System.Net.Http.Json;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Components;

/// <summary>Three silo processes on 127.0.0.2–4 form one cluster over PostgreSQL; one is killed with SIGKILL.</summary>
[Trait("Area", "Silo")]
[Collection(ClusterCollection.Name)]
public sealed class SiloClusterTests
{
    [RequiresFact(Component.Postgres)]
    public async Task Three_silo_processes_form_a_cluster_and_a_killed_one_is_dropped_within_ten_seconds()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var schema = await PostgresSchema.CreateAsync();
        var silos = new List<SiloProcess>();
        try
        {
            foreach (var host in new[] { "127.0.0.2", "127.0.0.3", "127.0.0.4" })
            {
                silos.Add(await SiloProcess.StartAsync("--urls", $"http://{host}:0", "--Silo:Mode=Cluster",
                    $"--Silo:PostgresConnectionString={schema.ConnectionString}", "--Silo:ClusterId=e2e"));
            }

            using var http = new HttpClient();
            await Poll.UntilAsync(async () => (await Members(http, silos[0])).Length == 3, TimeSpan.FromSeconds(30), "three members");
            Assert.Equal(3, (await Members(http, silos[2])).Length);

            var victim = silos[1];
            var clock = Stopwatch.StartNew();
            await victim.DisposeAsync(); // SIGKILL: no goodbye
            silos.Remove(victim);

            await Poll.UntilAsync(async () => (await Members(http, silos[0])).Length == 2 && (await Members(http, silos[1])).Length == 2,
                TimeSpan.FromSeconds(20), "the killed silo to be dropped");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.DoesNotContain(victim.BaseAddress.ToString(), await Members(http, silos[0]));
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    private static async Task<string[]> Members(HttpClient http, SiloProcess silo) =>
        await http.GetFromJsonAsync<string[]>(new Uri(silo.BaseAddress, "gateway/silos")) ?? [];
}

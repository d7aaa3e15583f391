using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Tests.Support;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// What a silo's death costs API clients: three silo processes on PostgreSQL serve Marathon apps; clients ask every
/// live silo for <c>/v2/apps</c>, an app and <c>/master/state</c> every 50 ms; a random silo is killed with SIGKILL
/// (and started again a few seconds later) over and over. Reports the longest time no silo answered anything but an
/// error, next to how long the survivors took to drop the dead silo from membership (its failure detection).
/// </summary>
internal sealed class ApiFailoverScenario : IScenario
{
    private static readonly string[] Hosts = ["127.0.0.2", "127.0.0.3", "127.0.0.4"];
    private static readonly string[] Paths = ["/v2/apps", "/v2/apps/bench/steady", "/master/state"];

    public string Name => "api-failover";

    public string Description => "SIGKILL a random silo of 3 again and again under API reads: the longest time no silo answered, vs failure detection";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        TestEnvironment.Require(Component.Postgres);
        var kills = small ? 3 : 10;
        await using var schema = await PostgresSchema.CreateAsync();
        var silos = new SiloProcess?[Hosts.Length];
        var random = new Random(17);
        for (var i = 0; i < Hosts.Length; i++)
        {
            silos[i] = await StartAsync(Hosts[i], schema.ConnectionString);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Poll.UntilAsync(async () => (await MembersAsync(http, silos[0]!)).Length == 3, TimeSpan.FromSeconds(60), "three members");
        using (var create = await http.PostAsJsonAsync(new Uri(silos[0]!.BaseAddress, "v2/apps"), new { id = "/bench/steady", cmd = "sleep 1000", instances = 0, cpus = 0.01, mem = 8 }))
        {
            create.EnsureSuccessStatusCode();
        }

        var clock = Stopwatch.StartNew();
        var lastAnswer = 0.0;
        var longestGap = 0.0;
        long answered = 0, errors = 0;
        var gate = new Lock();
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, Hosts.Length).Select(slot => Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var silo = silos[slot];
                if (silo is not null)
                {
                    var ok = false;
                    try
                    {
                        using var response = await http.GetAsync(new Uri(silo.BaseAddress, Paths[n++ % Paths.Length].TrimStart('/')), stop.Token);
                        ok = response.StatusCode == HttpStatusCode.OK;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        // Dead, or not answering in time.
                    }

                    lock (gate)
                    {
                        var now = clock.Elapsed.TotalSeconds;
                        if (ok)
                        {
                            answered++;
                            longestGap = Math.Max(longestGap, now - lastAnswer);
                            lastAnswer = now;
                        }
                        else
                        {
                            errors++;
                        }
                    }
                }

                await Task.Delay(50, CancellationToken.None);
            }
        })).ToArray();

        var detections = new List<double>();
        var gapsBefore = new StringBuilder();
        try
        {
            for (var k = 0; k < kills; k++)
            {
                await Task.Delay(TimeSpan.FromSeconds(small ? 4 : 8), cancellationToken);
                var slot = random.Next(Hosts.Length);
                var victim = silos[slot]!;
                silos[slot] = null;
                var killedAt = Stopwatch.StartNew();
                await victim.DisposeAsync(); // SIGKILL: no goodbye
                var survivor = silos.First(s => s is not null)!;
                await Poll.UntilAsync(async () => !(await MembersAsync(http, survivor)).Contains(victim.BaseAddress.ToString()), TimeSpan.FromSeconds(60), "the victim dropped");
                detections.Add(killedAt.Elapsed.TotalSeconds);
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1000, 4000)), cancellationToken);
                silos[slot] = await StartAsync(Hosts[slot], schema.ConnectionString);
            }

            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(readers);
            foreach (var silo in silos)
            {
                if (silo is not null)
                {
                    await silo.DisposeAsync();
                }
            }
        }

        return new ScenarioResult()
            .Add("kills", kills)
            .Add("longest_gap_s", longestGap, 2)
            .Add("detection_max_s", detections.Max(), 2)
            .Add("detection_mean_s", detections.Average(), 2)
            .Add("answered", answered)
            .Add("errors", errors);
    }

    private static Task<SiloProcess> StartAsync(string host, string connectionString) =>
        SiloProcess.StartClusterMemberAsync(host, connectionString, "bench-api-failover");

    private static async Task<string[]> MembersAsync(HttpClient http, SiloProcess silo)
    {
        try
        {
            return await silo.ActiveMembersAsync(http);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return [];
        }
    }
}

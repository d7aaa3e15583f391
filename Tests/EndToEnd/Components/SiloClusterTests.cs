using System.Diagnostics;
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
                silos.Add(await SiloProcess.StartClusterMemberAsync(host, schema.ConnectionString, "e2e"));
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

    [RequiresFact(Component.Postgres)]
    public async Task A_node_daemon_moves_to_its_next_gateway_when_its_silo_dies_and_its_task_runs_on()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var schema = await PostgresSchema.CreateAsync();
        using var work = new TempDirectory();
        var silos = new List<SiloProcess>();
        DaemonProcess? daemon = null;
        try
        {
            foreach (var host in new[] { "127.0.0.2", "127.0.0.3" })
            {
                silos.Add(await SiloProcess.StartClusterMemberAsync(host, schema.ConnectionString, "e2e-agent", "--Master:AgentToken=s3cret"));
            }

            daemon = await DaemonProcess.StartAsync(silos[0].BaseAddress, work.Path, "cpus:1;mem:256;disk:100;ports:[32200-32209]",
                $"--Daemon:Gateways:1={silos[1].BaseAddress}", "--Daemon:Token=s3cret");
            await using var framework = new OrleansDcos.Tests.Support.Master.RawFramework(silos[1].BaseAddress);
            await framework.SubscribeAsync("mover", failoverTimeout: 300);
            await framework.LaunchAsync(await framework.NextOfferAsync(TimeSpan.FromSeconds(30)), [("stays", OrleansDcos.Tests.Support.Master.RawFramework.Scalars(0.1, 32))]);
            await framework.WaitForStateAsync("stays", "TASK_RUNNING", TimeSpan.FromSeconds(30));

            await silos[0].DisposeAsync(); // SIGKILL of the daemon's gateway
            silos.RemoveAt(0);
            await daemon.WaitForOutputAsync($"registered through {silos[0].BaseAddress}", TimeSpan.FromSeconds(30));

            using var http = new HttpClient { BaseAddress = silos[0].BaseAddress };
            var lastAnswer = string.Empty;
            await Poll.UntilAsync(async () =>
            {
                using var answer = await http.GetAsync("/master/tasks");
                lastAnswer = $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}";
                var tasks = answer.IsSuccessStatusCode ? System.Text.Json.Nodes.JsonNode.Parse(lastAnswer[4..])!["tasks"]!.AsArray() : [];
                return tasks.Any(t => t!["id"]!.GetValue<string>() == "stays" && t["state"]!.GetValue<string>() == "TASK_RUNNING");
            }, TimeSpan.FromSeconds(30), () => $"the master sees the task running through the other silo; last answer {lastAnswer[..Math.Min(lastAnswer.Length, 600)]}{Environment.NewLine}{silos[0].OutputTail(60)}");
            await framework.DisconnectAsync();
        }
        finally
        {
            if (daemon is not null)
            {
                await daemon.DisposeAsync();
            }

            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    [RequiresFact(Component.Postgres)]
    public async Task Every_silo_names_the_same_one_leader_and_a_new_one_once_it_is_killed()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var schema = await PostgresSchema.CreateAsync();
        var silos = new List<SiloProcess>();
        try
        {
            foreach (var host in new[] { "127.0.0.2", "127.0.0.3", "127.0.0.4" })
            {
                silos.Add(await SiloProcess.StartClusterMemberAsync(host, schema.ConnectionString, "e2e-leader"));
            }

            using var http = new HttpClient();
            await Poll.UntilAsync(async () => (await Members(http, silos[0])).Length == 3 && (await Members(http, silos[2])).Length == 3, TimeSpan.FromSeconds(30), "three members");
            var leader = await AgreedLeaderAsync(http, silos);
            Assert.Equal(silos[0].BaseAddress.Authority, leader); // the oldest

            var victim = silos.Single(s => s.BaseAddress.Authority == leader);
            await victim.DisposeAsync(); // SIGKILL
            silos.Remove(victim);
            var next = await AgreedLeaderAsync(http, silos);
            Assert.Equal(silos[0].BaseAddress.Authority, next);
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    /// <summary>Waits until every silo names one leader in /v2/leader, /v2/info and /master/state, and exactly that one says it is elected.</summary>
    private static async Task<string> AgreedLeaderAsync(HttpClient http, IReadOnlyList<SiloProcess> silos)
    {
        string? agreed = null;
        var seen = "";
        await Poll.UntilAsync(async () =>
        {
            var answers = new List<(string Leader, string Info, bool Elected, string State)>();
            foreach (var silo in silos)
            {
                var leader = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri(silo.BaseAddress, "v2/leader")))!["leader"]!.GetValue<string>();
                var info = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri(silo.BaseAddress, "v2/info")))!;
                var state = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri(silo.BaseAddress, "master/state")))!;
                answers.Add((leader, info["leader"]!.GetValue<string>(), info["elected"]!.GetValue<bool>(), state["leader"]!.GetValue<string>()));
            }

            seen = string.Join("; ", answers);
            var one = answers[0].Leader;
            var consistent = answers.All(a => a.Leader == one && a.Info == one && a.State == $"master@{one}")
                && silos.Any(s => s.BaseAddress.Authority == one)
                && answers.Zip(silos).All(x => x.First.Elected == (x.Second.BaseAddress.Authority == one));
            agreed = consistent ? one : null;
            return consistent;
        }, TimeSpan.FromSeconds(30), () => $"one leader named by every silo; they said: {seen}");
        return agreed!;
    }

    private static Task<string[]> Members(HttpClient http, SiloProcess silo) => silo.ActiveMembersAsync(http);
}

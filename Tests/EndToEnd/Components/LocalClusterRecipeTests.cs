using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Components;

/// <summary>
/// The README's local-cluster recipe, run as written (the shell block between its markers): three silo processes on
/// 127.0.0.2–4 and two node daemons form one cluster, an app runs on the daemons, and the cluster carries on when a
/// silo is killed. Its processes, work directories and cgroups are removed afterwards.
/// </summary>
[Trait("Area", "Silo")]
[Collection(ClusterCollection.Name)]
public sealed class LocalClusterRecipeTests
{
    private static readonly string[] Apis = ["http://127.0.0.2:8080/", "http://127.0.0.3:8080/", "http://127.0.0.4:8080/"];

    [RequiresFact(Component.Postgres)]
    public async Task The_readme_recipe_starts_three_silos_and_two_daemons_that_run_an_app_and_survive_a_killed_silo()
    {
        TestEnvironment.Require(Component.Postgres);
        var recipe = RecipeBlock();

        // The recipe's cluster keeps its state in $DCOS_TEST_POSTGRES; here that is a schema of the test's own, so the
        // run starts from nothing and leaves nothing in the database a user's local cluster lives in.
        await using var schema = await PostgresSchema.CreateAsync();
        await using var shell = ChildProcess.Start("setsid", ["bash", "-c", recipe], workingDirectory: RepositoryLayout.Root,
            new Dictionary<string, string> { ["DCOS_TEST_POSTGRES"] = schema.ConnectionString });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            // Each silo counts three active members and answers HTTP: a silo is Active in the membership table a little
            // before its web server listens, so one silo's view alone does not say the others serve yet.
            await Poll.UntilAsync(async () => (await Task.WhenAll(Apis.Select(api => ActiveAsync(http, api)))).All(n => n == 3),
                TimeSpan.FromSeconds(90), "three silos active, each answering");
            await Poll.UntilAsync(async () => await AgentsAsync(http, Apis[1]) == 2, TimeSpan.FromSeconds(60), "two agents registered");

            var app = new JsonObject { ["id"] = "/recipe/sleeper", ["cmd"] = "exec sleep 6017", ["cpus"] = 0.05, ["mem"] = 16, ["instances"] = 2 };
            using (var created = await http.PostAsJsonAsync(new Uri(new Uri(Apis[2]), "v2/apps"), app))
            {
                Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            }

            await Poll.UntilAsync(async () => await RunningAsync(http, Apis[0]) == 2, TimeSpan.FromSeconds(60), "the app's two tasks running");

            // SIGKILL the silo on 127.0.0.3: the others drop it and keep serving; the tasks run on.
            Kill("OrleansDcos.Silo.dll --urls http://127.0.0.3:8080");
            await Poll.UntilAsync(async () => await ActiveAsync(http, Apis[0]) == 2, TimeSpan.FromSeconds(30), "the killed silo dropped");
            await Poll.UntilAsync(async () => await RunningAsync(http, Apis[2]) == 2, TimeSpan.FromSeconds(30), "the tasks still running");

            using var deleted = await http.DeleteAsync(new Uri(new Uri(Apis[0]), "v2/apps/recipe/sleeper?force=true"));
            Assert.True(deleted.IsSuccessStatusCode, await deleted.Content.ReadAsStringAsync());
            await Poll.UntilAsync(async () => await RunningAsync(http, Apis[0]) == 0, TimeSpan.FromSeconds(60), "the app's tasks killed");
        }
        finally
        {
            Kill("Silo:ClusterId=local");
            Kill("/tmp/dcos-agent-");
            Kill("sleep 6017"); // the app's tasks, should a failure have left them
            foreach (var n in new[] { 1, 2 })
            {
                await AgentLeftovers.RemoveAsync($"/tmp/dcos-agent-{n}");
                if (Directory.Exists($"/tmp/dcos-agent-{n}"))
                {
                    Directory.Delete($"/tmp/dcos-agent-{n}", recursive: true);
                }

                File.Delete($"/tmp/dcos-agent-{n}.log");
            }

            foreach (var i in new[] { 2, 3, 4 })
            {
                File.Delete($"/tmp/dcos-silo-{i}.log");
            }
        }
    }

    /// <summary>The shell block between the README's local-cluster markers.</summary>
    private static string RecipeBlock()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "README.md"));
        var start = readme.IndexOf("<!-- local-cluster:start -->", StringComparison.Ordinal);
        var end = readme.IndexOf("<!-- local-cluster:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md has no local-cluster block");
        var block = readme[start..end];
        var code = block.IndexOf("```sh\n", StringComparison.Ordinal) + "```sh\n".Length;
        return block[code..block.LastIndexOf("```", StringComparison.Ordinal)];
    }

    /// <summary>Kills (SIGKILL) the processes whose command line contains <paramref name="pattern"/>: the recipe's own, by their distinct arguments.</summary>
    private static void Kill(string pattern)
    {
        using var pkill = System.Diagnostics.Process.Start("pkill", ["-9", "-f", pattern]);
        pkill.WaitForExit();
    }

    private static Task<int> ActiveAsync(HttpClient http, string api) =>
        CountAsync(http, api, "cluster/members", members => members.AsArray().Count(m => m!["status"]!.GetValue<string>() == "Active"));

    private static Task<int> AgentsAsync(HttpClient http, string api) =>
        CountAsync(http, api, "master/slaves", slaves => slaves["slaves"]?.AsArray().Count(s => s!["active"]?.GetValue<bool>() != false) ?? 0);

    // Every task the cluster runs (an app's tasks end with the app, which then answers 404).
    private static Task<int> RunningAsync(HttpClient http, string api) =>
        CountAsync(http, api, "v2/tasks", tasks => tasks["tasks"]?.AsArray().Count(t => t!["appId"]?.GetValue<string>() == "/recipe/sleeper" && t["state"]?.GetValue<string>() == "TASK_RUNNING") ?? 0);

    /// <summary>What <paramref name="count"/> makes of <paramref name="path"/> on <paramref name="api"/>; -1 while that silo does not answer.</summary>
    private static async Task<int> CountAsync(HttpClient http, string api, string path, Func<JsonNode, int> count)
    {
        try
        {
            return await http.GetFromJsonAsync<JsonNode>(new Uri(new Uri(api), path)) is { } body ? count(body) : 0;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return -1;
        }
    }
}

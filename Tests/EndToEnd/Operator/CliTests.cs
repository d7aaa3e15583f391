using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Operator;

/// <summary>The <c>dcos</c> CLI run as a process against a silo process.</summary>
[Trait("Area", "Operator")]
public sealed class CliTests : IClassFixture<CliTests.Cluster>
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(60);
    private readonly Cluster _cluster;

    public CliTests(Cluster cluster) => _cluster = cluster;

    private CliProcess Cli => _cluster.Cli;

    [Fact]
    public async Task An_app_is_deployed_with_progress_scaled_listed_and_its_log_read_and_followed()
    {
        var file = _cluster.Write("web.json", """
            {"id": "/cli/web", "cmd": "echo started; i=0; while true; do echo line $i; i=$((i+1)); sleep 0.2; done",
             "cpus": 0.1, "mem": 32, "instances": 2}
            """);

        var added = await Cli.RunAsync(["marathon", "app", "add", file]);

        Assert.True(added.ExitCode == 0, added.ToString());
        var lines = added.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^deployment [0-9a-f-]+ started$", lines[0]);
        Assert.Matches("^deployment [0-9a-f-]+ finished in [0-9.]+ s: /cli/web 2/2 running$", lines[^1]);

        var scaled = await Cli.RunAsync(["marathon", "app", "scale", "/cli/web", "3"]);
        Assert.True(scaled.ExitCode == 0, scaled.ToString());
        Assert.Contains("/cli/web 3/3 running", scaled.Output, StringComparison.Ordinal);

        // --json prints the API's JSON; the table names the same app.
        var apps = JsonNode.Parse((await Cli.RunAsync(["marathon", "app", "list", "--json"])).Output)!.AsArray();
        var web = apps.Single(a => a!["id"]!.GetValue<string>() == "/cli/web")!;
        Assert.Equal(3, web["instances"]!.GetValue<int>());
        Assert.Equal(3, web["tasksRunning"]!.GetValue<int>());
        Assert.Contains("/cli/web", (await Cli.RunAsync(["marathon", "app", "list"])).Output, StringComparison.Ordinal);
        var versions = JsonNode.Parse((await Cli.RunAsync(["marathon", "app", "versions", "/cli/web", "--json"])).Output)!.AsArray();
        Assert.Equal(2, versions.Count);

        var tasks = JsonNode.Parse((await Cli.RunAsync(["marathon", "task", "list", "/cli/web", "--json"])).Output)!.AsArray();
        Assert.Equal(3, tasks.Count);
        var taskId = tasks[0]!["id"]!.GetValue<string>();
        var mesosTasks = JsonNode.Parse((await Cli.RunAsync(["task", "list", "--json"])).Output)!.AsArray();
        Assert.Contains(mesosTasks, t => t!["id"]!.GetValue<string>() == taskId && t["state"]!.GetValue<string>() == "TASK_RUNNING");
        Assert.Contains("active", (await Cli.RunAsync(["node", "list"])).Output, StringComparison.Ordinal);
        Assert.Contains(JsonNode.Parse((await Cli.RunAsync(["service", "list", "--json"])).Output)!.AsArray(), f => f!["name"]!.GetValue<string>() == "marathon");

        // The log: its last lines, then live with --follow (lines numbered past what was there when it started).
        var log = await PollValue.UntilAsync(async () =>
        {
            var result = await Cli.RunAsync(["task", "log", taskId, "--lines", "2"]);
            return result.ExitCode == 0 && result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2 ? result : null;
        }, Fresh, () => "two log lines");
        var last = int.Parse(log.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]["line ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        await using (var follow = Cli.Start(["task", "log", taskId, "--follow", "--lines", "1"]))
        {
            await follow.WaitForLineAsync($"line {last + 5}", Fresh);
        }

        var removed = await Cli.RunAsync(["marathon", "app", "remove", "/cli/web"]);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal(1, (await Cli.RunAsync(["marathon", "app", "show", "/cli/web"])).ExitCode);
    }

    [Fact]
    public async Task A_stuck_deployment_says_why_and_a_rollback_undoes_it()
    {
        var file = _cluster.Write("huge.json", """{"id": "/cli/huge", "cmd": "sleep 600", "cpus": 500, "mem": 16}""");

        var stuck = await Cli.RunAsync(["marathon", "app", "add", file, "--timeout", "3"]);

        Assert.True(stuck.ExitCode == 1, stuck.ToString());
        var error = Assert.Single(stuck.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("did not finish in 3 s", error, StringComparison.Ordinal);
        Assert.Contains("offers declined: insufficient cpus", error, StringComparison.Ordinal);

        var deployments = JsonNode.Parse((await Cli.RunAsync(["marathon", "deployment", "list", "/cli/huge", "--json"])).Output)!.AsArray();
        var id = Assert.Single(deployments)!["id"]!.GetValue<string>();
        Assert.Contains(id, (await Cli.RunAsync(["marathon", "deployment", "list"])).Output, StringComparison.Ordinal);

        var rollback = await Cli.RunAsync(["marathon", "deployment", "rollback", id]);

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Contains("finished", rollback.Output, StringComparison.Ordinal);
        var gone = await Cli.RunAsync(["marathon", "app", "show", "/cli/huge"]);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("(404)", gone.Error, StringComparison.Ordinal);
        Assert.Empty(JsonNode.Parse((await Cli.RunAsync(["marathon", "deployment", "list", "/cli/huge", "--json"])).Output)!.AsArray());
    }

    [Fact]
    public async Task Every_error_is_one_line_with_the_right_exit_code()
    {
        var broken = _cluster.Write("broken.json", """{"id": "/cli/broken", "cpus": """);
        var invalid = _cluster.Write("invalid.json", """{"id": "/cli/invalid", "cmd": "sleep 1", "cpus": -1, "mem": "lots"}""");

        var cases = new (string[] Arguments, int Exit, string Expected)[]
        {
            (["marathon", "app", "add", broken], 1, "broken.json: not valid JSON"),
            (["marathon", "app", "add", invalid], 1, "(422): Object is not valid: "),
            (["marathon", "app", "add", invalid], 1, "/cpus: must be at least 0"),
            (["marathon", "app", "add", invalid], 1, "/mem: "),
            (["marathon", "app", "add", "/no/such/file.json"], 1, "no such file"),
            (["--url", $"http://127.0.0.1:{FreePort.Next()}", "node", "list"], 1, "cannot reach the cluster at http://127.0.0.1:"),
            (["marathon", "app", "frob"], 2, "Unrecognized command or argument 'frob'"),
            (["marathon", "app", "scale", "/x"], 2, "Required argument missing"),
            (["marathon", "app", "show", "/cli/none"], 1, "(404): App '/cli/none' does not exist"),
            (["task", "log", "no-such-task"], 1, "no task matches 'no-such-task'"),
        };
        foreach (var (arguments, exit, expected) in cases)
        {
            var result = await Cli.RunAsync(arguments);
            Assert.True(result.ExitCode == exit, $"dcos {string.Join(' ', arguments)}: {result}");
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("dcos: ", line, StringComparison.Ordinal);
            Assert.Contains(expected, line, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"at [\w`]+(\.[\w`]+)+\(", line); // no stack frame
        }
    }

    [Fact]
    public async Task Clusters_groups_jobs_and_dns_work_from_the_command_line()
    {
        var clusters = JsonNode.Parse((await Cli.RunAsync(["cluster", "list", "--json"])).Output)!.AsArray();
        Assert.Equal(_cluster.Silo.BaseAddress.ToString(), Assert.Single(clusters, c => c!["attached"]!.GetValue<bool>())!["url"]!.GetValue<string>());

        var group = _cluster.Write("group.json", """
            {"id": "/cligroup", "apps": [{"id": "/cligroup/a", "cmd": "sleep 600", "cpus": 0.05, "mem": 16, "portDefinitions": [{"port": 0, "name": "http"}]}]}
            """);
        var added = await Cli.RunAsync(["marathon", "group", "add", group]);
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains(JsonNode.Parse((await Cli.RunAsync(["marathon", "group", "list", "--json"])).Output)!.AsArray(), g => g!["id"]!.GetValue<string>() == "/cligroup" && g["apps"]!.GetValue<int>() == 1);
        Assert.Equal("/cligroup/a", JsonNode.Parse((await Cli.RunAsync(["marathon", "group", "show", "/cligroup"])).Output)!["apps"]![0]!["id"]!.GetValue<string>());

        // DNS: the app's task by name (A) and by port (SRV), through the silo's Mesos-DNS API.
        var srv = await PollValue.UntilAsync(async () =>
        {
            var result = await Cli.RunAsync(["dns", "lookup", "_a-cligroup._tcp.marathon.mesos", "--json"]);
            return result.ExitCode == 0 ? JsonNode.Parse(result.Output)!.AsArray() : null;
        }, Fresh, () => "an SRV record for /cligroup/a");
        Assert.Equal("127.0.0.1", srv[0]!["ip"]!.GetValue<string>());
        Assert.Contains("127.0.0.1", (await Cli.RunAsync(["dns", "lookup", "a-cligroup.marathon.mesos"])).Output, StringComparison.Ordinal);
        Assert.Equal(1, (await Cli.RunAsync(["dns", "lookup", "nothing-here.marathon.mesos"])).ExitCode);

        var removed = await Cli.RunAsync(["marathon", "group", "remove", "/cligroup"]);
        Assert.True(removed.ExitCode == 0, removed.ToString());

        // Jobs: added from standard input, run now, and the run in the history.
        var job = await Cli.RunAsync(["job", "add"], """{"name": "cli-job", "command": "echo from the job", "schedule": "R/2099-01-01T00:00:00Z/PT24H", "cpus": 0.05, "mem": 16}""");
        Assert.True(job.ExitCode == 0, job.ToString());
        Assert.Equal(0, (await Cli.RunAsync(["job", "run", "cli-job"])).ExitCode);
        var run = await PollValue.UntilAsync(async () =>
        {
            var runs = JsonNode.Parse((await Cli.RunAsync(["job", "history", "cli-job", "--json"])).Output)!["runs"]!.AsArray();
            return runs.FirstOrDefault(r => r!["state"]!.GetValue<string>() == "succeeded");
        }, Fresh, () => "a succeeded run of cli-job");
        Assert.Equal("manual", run["trigger"]!.GetValue<string>());
        Assert.Contains("cli-job", (await Cli.RunAsync(["job", "list"])).Output, StringComparison.Ordinal);
        Assert.Equal("cli-job", JsonNode.Parse((await Cli.RunAsync(["job", "show", "cli-job"])).Output)!["name"]!.GetValue<string>());
        Assert.Equal(0, (await Cli.RunAsync(["job", "remove", "cli-job"])).ExitCode);
        Assert.Equal(1, (await Cli.RunAsync(["job", "show", "cli-job"])).ExitCode);
    }

    [Fact]
    [Trait("Area", "Packages")]
    public async Task Packages_are_searched_installed_with_an_options_file_listed_and_uninstalled()
    {
        var search = await Cli.RunAsync(["package", "search", "web"]);
        Assert.True(search.ExitCode == 0, search.ToString());
        Assert.Contains("hello-web", search.Output, StringComparison.Ordinal);
        Assert.Contains("local", (await Cli.RunAsync(["package", "repo", "list"])).Output, StringComparison.Ordinal);

        var bad = _cluster.Write("bad-options.json", """{"service": {"instances": "many"}, "storage": {"mode": "tape"}}""");
        var refused = await Cli.RunAsync(["package", "install", "kv-demo", "--options", bad, "--yes"]);
        Assert.Equal(1, refused.ExitCode);
        var line = Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("/service/instances: type", line, StringComparison.Ordinal);
        Assert.Contains("/storage/mode: enum", line, StringComparison.Ordinal);
        Assert.Contains("/admin: required", line, StringComparison.Ordinal);
        Assert.Equal(1, (await Cli.RunAsync(["package", "install", "hello-web"], input: "")).ExitCode); // asks, and no one answers: pass --yes

        var options = _cluster.Write("web-options.json", """{"service": {"greeting": "from the cli"}}""");
        var installed = await Cli.RunAsync(["package", "install", "hello-web", "--options", options, "--app-id", "/cli-pkg", "--yes"]);
        Assert.True(installed.ExitCode == 0, installed.ToString());
        Assert.Contains("installed hello-web 1.0.0 as /cli-pkg", installed.Output, StringComparison.Ordinal);
        var list = JsonNode.Parse((await Cli.RunAsync(["package", "list", "--json"])).Output)!.AsArray();
        var entry = Assert.Single(list, p => p!["appId"]!.GetValue<string>() == "/cli-pkg")!;
        Assert.Equal("from the cli", entry["options"]!["service"]!["greeting"]!.GetValue<string>());
        Assert.Equal("/cli-pkg", JsonNode.Parse((await Cli.RunAsync(["package", "install", "hello-web", "--app-id", "/cli-pkg", "--render"])).Output)!["id"]!.GetValue<string>());

        await PollValue.UntilAsync(async () => JsonNode.Parse((await Cli.RunAsync(["marathon", "deployment", "list", "/cli-pkg", "--json"])).Output)!.AsArray().Count == 0 ? (object)true : null,
            Fresh, () => "the install's deployment over"); // an app being deployed is locked, as in Marathon
        var greeting = _cluster.Write("web-update.json", """{"service": {"greeting": "updated by the cli"}}""");
        var updated = await Cli.RunAsync(["package", "update", "/cli-pkg", "--options", greeting]);
        Assert.True(updated.ExitCode == 0, updated.ToString());
        Assert.Contains("finished", updated.Output, StringComparison.Ordinal);
        Assert.Equal("updated by the cli", JsonNode.Parse((await Cli.RunAsync(["package", "list", "--json"])).Output)!.AsArray()
            .Single(p => p!["appId"]!.GetValue<string>() == "/cli-pkg")!["options"]!["service"]!["greeting"]!.GetValue<string>());
        Assert.Equal(1, (await Cli.RunAsync(["package", "update", "/cli-pkg", "--package-version", "9.9"])).ExitCode);

        var removed = await Cli.RunAsync(["package", "uninstall", "hello-web", "--app-id", "/cli-pkg"]);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains("uninstalled hello-web 1.0.0 (/cli-pkg)", removed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(JsonNode.Parse((await Cli.RunAsync(["package", "list", "--json"])).Output)!.AsArray(), p => p!["appId"]!.GetValue<string>() == "/cli-pkg");
    }

    /// <summary>One silo process and a CLI attached to it (<c>dcos cluster setup</c>), shared by the tests of the class.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        private readonly TempDirectory _files = new();

        public SiloProcess Silo { get; private set; } = null!;

        public CliProcess Cli { get; } = new();

        public string Write(string name, string text)
        {
            var path = Path.Combine(_files.Path, name);
            File.WriteAllText(path, text);
            return path;
        }

        public async Task InitializeAsync()
        {
            Silo = await SiloProcess.StartAsync();
            using var api = new Support.Marathon.MarathonApi(Silo.BaseAddress, () => Silo.OutputTail(80));
            await api.WaitForAgentsAsync();
            var setup = await Cli.RunAsync(["cluster", "setup", Silo.BaseAddress.ToString(), "--name", "test"]);
            Assert.True(setup.ExitCode == 0, setup.ToString());
        }

        public async Task DisposeAsync()
        {
            await Silo.DisposeAsync();
            Cli.Dispose();
            _files.Dispose();
        }
    }
}

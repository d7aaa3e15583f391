using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using OrleansDcos.Cli;
using OrleansDcos.Cli.Commands;
using OrleansDcos.Client;
using OrleansDcos.Grains.Interfaces.Api;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Unit.Cli;

/// <summary>The CLI's pure parts: one-line errors, properties, URLs, deployment reasons, log tails, exit codes.</summary>
public sealed class CliTextTests
{
    [Fact]
    public void A_422_names_every_path_on_one_line()
    {
        var error = new DcosApiException(HttpStatusCode.UnprocessableEntity, new ApiError("Object is not valid",
            [new ApiErrorDetail("/cpus", ["must be at least 0"]), new ApiErrorDetail("/mem", ["must be a number", "is required"])]));

        var line = ErrorText.Of(error);

        Assert.Equal("the cluster refused (422): Object is not valid: /cpus: must be at least 0; /mem: must be a number, is required", line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void A_refused_connection_says_where_and_what_to_do()
    {
        var line = ErrorText.Unreachable(new Uri("http://127.0.0.1:1/"), new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused)));

        Assert.StartsWith("cannot reach the cluster at http://127.0.0.1:1/: connection refused", line, StringComparison.Ordinal);
        Assert.Contains("dcos cluster setup", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Properties_read_values_as_json_or_text()
    {
        var parsed = Properties.Parse(["instances=3", "cmd=sleep 60", "env={\"A\":\"1\"}", "label=x=y"]);

        Assert.Equal(3, parsed["instances"]!.GetValue<int>());
        Assert.Equal("sleep 60", parsed["cmd"]!.GetValue<string>());
        Assert.Equal("1", parsed["env"]!["A"]!.GetValue<string>());
        Assert.Equal("x=y", parsed["label"]!.GetValue<string>());
        Assert.Throws<CliException>(() => Properties.Parse(["instances"]));
        Assert.Throws<CliException>(() => Properties.Parse(["a=1", "a=2"]));
    }

    [Theory]
    [InlineData("127.0.0.1:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://127.0.0.2:9090/", "http://127.0.0.2:9090/")]
    [InlineData("https://silo.example:443/base", "https://silo.example/base/")]
    public void Cluster_urls_are_normalised(string given, string expected) => Assert.Equal(expected, ClusterUrl.Parse(given).ToString());

    [Theory]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("http://")]
    [InlineData("::::")]
    public void Bad_cluster_urls_are_refused(string given) => Assert.Throws<CliException>(() => ClusterUrl.Parse(given));

    [Fact]
    public void A_waiting_app_is_explained_by_declined_offers_delay_and_a_fresh_failure()
    {
        var since = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var queue = JsonNode.Parse("""
            {"queue": [{"app": {"id": "/web"}, "delay": {"timeLeftSeconds": 7, "overdue": false},
                        "processedOffersSummary": {"processedOffersCount": 4},
                        "rejectDetailsLastOffers": [{"reason": "insufficient mem", "declined": 1}, {"reason": "insufficient cpus", "declined": 3}]}]}
            """);
        var app = JsonNode.Parse("""{"id": "/web", "lastTaskFailure": {"state": "TASK_FAILED", "message": "exited with 1", "timestamp": "2026-01-01T00:00:05Z"}}""")!.AsObject();

        var why = DeploymentView.Why("/web", app, queue, since);

        Assert.Equal("/web: offers declined: insufficient cpus (3), insufficient mem (1); launch delayed 7 s after failures; last task failure: TASK_FAILED exited with 1", why);
        Assert.DoesNotContain("last task failure", DeploymentView.Why("/web", app, queue, since.AddMinutes(1)), StringComparison.Ordinal);
        Assert.Null(DeploymentView.Why("/other", null, queue, since));
    }

    [Fact]
    public void Instances_and_progress_count_healthy_when_checked()
    {
        var app = JsonNode.Parse("""{"id": "/web", "instances": 4, "tasksRunning": 3, "tasksHealthy": 1, "tasksStaged": 1, "healthChecks": [{}]}""")!.AsObject();

        Assert.Equal("/web 3/4 running, 1 staging, 1 healthy", DeploymentView.Instances(app));
        Assert.Equal(0.25, DeploymentView.Done(app));
    }

    [Theory]
    [InlineData("a\nb\nc\n", 2, false, "b\nc\n")]
    [InlineData("a\nb\nc", 2, false, "b\nc")]
    [InlineData("tial\nb\nc\n", 5, true, "b\nc\n")]
    [InlineData("a\nb\n", 0, false, "")]
    public void Log_tails_keep_the_last_whole_lines(string text, int count, bool cut, string expected) =>
        Assert.Equal(expected, TaskCommands.LastLines(text, count, cut));

    [Fact]
    public async Task Usage_errors_exit_2_and_failures_exit_1_with_one_line()
    {
        using var config = new TempDirectory();
        var environment = new Dictionary<string, string?> { ["DCOS_DIR"] = config.Path };
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(ExitCodes.Usage, await DcosCli.RunAsync(["marathon", "app", "frob"], output, error, environment));
        Assert.Equal("dcos: Unrecognized command or argument 'frob'. (see `dcos marathon app --help`)", error.ToString().Trim());

        error.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Error, await DcosCli.RunAsync(["node", "list"], output, error, environment));
        Assert.Equal("dcos: no cluster attached: run `dcos cluster setup <url>` or pass --url", error.ToString().Trim());

        error.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Usage, await DcosCli.RunAsync(["task", "log", "x", "--lines", "-4"], output, error, environment));
        Assert.Contains("--lines takes 0 to", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_config_file_round_trips_and_a_damaged_one_is_named()
    {
        using var directory = new TempDirectory();
        var config = new ClusterConfig { Attached = "b" };
        config.Clusters.Add(new ClusterEntry("a", "http://127.0.0.1:1/"));
        config.Clusters.Add(new ClusterEntry("b", "http://127.0.0.2:2/"));
        config.Save(directory.Path);

        Assert.Equal("http://127.0.0.2:2/", ClusterConfig.Load(directory.Path).AttachedCluster()!.Url);

        File.WriteAllText(Path.Combine(directory.Path, "clusters.json"), "{not json");
        var error = Assert.Throws<CliException>(() => ClusterConfig.Load(directory.Path));
        Assert.Contains("clusters.json is not valid JSON", error.Message, StringComparison.Ordinal);
    }
}

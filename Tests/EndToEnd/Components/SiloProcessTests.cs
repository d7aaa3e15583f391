using OrleansDcos.Client;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Components;

/// <summary>The built silo as a real process: it listens, reads DCOS_ settings, and refuses bad ones in one line.</summary>
[Trait("Area", "Silo")]
public sealed class SiloProcessTests
{
    [Fact]
    public async Task The_silo_process_serves_ping_and_info_on_a_loopback_port()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        var client = new DcosClient(http);

        Assert.True(await client.PingAsync());
        var info = await client.GetInfoAsync();
        Assert.Equal($"127.0.0.1:{silo.BaseAddress.Port}", info.Leader);

        // The project's own information lines are logged ("Orleans": "Warning" must not silence "OrleansDcos.*").
        await Poll.UntilAsync(() => Task.FromResult(silo.Output.Any(l => l.Contains("marathon: subscribed as framework", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(30), () => $"the silo logged Marathon's subscription:{Environment.NewLine}{silo.OutputTail()}");
    }

    [Fact]
    public async Task The_embedded_silo_keeps_its_grain_runtime_state_in_a_sqlite_file_in_its_data_directory()
    {
        await using var silo = await SiloProcess.StartAsync();

        // The runtime opens its database at start (it loads the reminder table).
        Assert.True(File.Exists(Path.Combine(silo.DataDirectory, "dcos.db")), "dcos.db was not created in the data directory");
    }

    [Fact]
    public async Task A_DCOS_prefixed_environment_variable_sets_a_setting()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("dcos-silo-").FullName;
        var process = SiloProcess.StartRaw(
            ["--urls", "http://127.0.0.1:0", $"--Silo:DataDirectory={dataDirectory}", $"--Silo:SiloPort={FreePort.Next()}", $"--Silo:GatewayPort={FreePort.Next()}"],
            new Dictionary<string, string> { ["DCOS_Silo__ClusterId"] = "from-env" });
        try
        {
            var line = await process.WaitForLineAsync("Now listening on:", TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = new Uri(line[line.IndexOf("http", StringComparison.Ordinal)..].Trim() + "/") };

            var info = await new DcosClient(http).GetInfoAsync();

            Assert.Equal("from-env", info.SiloConfig.ClusterId);
        }
        finally
        {
            // The silo first (its embedded agent lives in the data directory), then what it left.
            await process.DisposeAsync();
            await AgentLeftovers.RemoveAsync(Path.Combine(dataDirectory, "agent"));
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [RequiresFact(Component.Postgres)]
    public async Task The_silo_in_cluster_mode_keeps_its_grain_runtime_state_in_postgresql()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var schema = await PostgresSchema.CreateAsync();

        await using (var silo = await SiloProcess.StartAsync(["--Silo:Mode=Cluster", $"--Silo:PostgresConnectionString={schema.ConnectionString}", .. SiloProcess.Plain]))
        {
            using var http = new HttpClient { BaseAddress = silo.BaseAddress };
            Assert.Equal("postgresql", (await new DcosClient(http).GetInfoAsync()).SiloConfig.Storage);
        }

        await using var source = Npgsql.NpgsqlDataSource.Create(TestEnvironment.PostgresConnectionString!);
        await using var command = source.CreateCommand($"select count(*) from information_schema.tables where table_schema = '{schema.Name}' and table_name in ('grain_state', 'orleansreminderstable', 'orleansmembershiptable', 'event_log')");
        Assert.Equal(4L, await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("--Silo:ClusterId=Not Valid", "Silo:ClusterId 'Not Valid' is invalid")]
    [InlineData("--Silo:Mode=Sideways", "'Silo:Mode'")]
    [InlineData("--Silo:Mode=Cluster", "Silo:PostgresConnectionString is required when Silo:Mode is Cluster")]
    [InlineData("--Silo:GatewayPort=70000", "Silo:GatewayPort '70000' is invalid")]
    [InlineData("--Silo:Mode=Cluster", "a cluster-mode silo needs TLS")]
    [InlineData("--Security:Tls:CaFile=/nonexistent/ca.crt", "Security:Tls needs CertificateFile, KeyFile and CaFile together")]
    [InlineData("--Security:BootstrapUser=admin", "Security:BootstrapUser and Security:BootstrapPassword go together")]
    public async Task A_bad_setting_stops_the_silo_with_one_line_naming_it(string argument, string expected)
    {
        await using var process = SiloProcess.StartRaw(["--urls", "http://127.0.0.1:0", argument]);

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        var error = Assert.Single(process.Output, line => line.StartsWith("silo: invalid settings:", StringComparison.Ordinal));
        Assert.Contains(expected, error);
        Assert.DoesNotContain(process.Output, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }
}

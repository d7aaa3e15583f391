using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Security;

/// <summary><c>dcos auth login|logout</c> against a silo with login on.</summary>
[Trait("Area", "Security")]
public sealed class CliLoginTests
{
    [Fact]
    public async Task The_cli_logs_in_keeps_the_token_owner_only_uses_it_and_logs_out()
    {
        const string password = "admin-password-1";
        await using var silo = await SiloProcess.StartAsync("--Silo:EmbeddedAgent=false", "--Security:Authentication=true", "--Security:BootstrapUser=admin", $"--Security:BootstrapPassword={password}");
        using var cli = new CliProcess();
        var secrets = new Dictionary<string, string> { ["ADMIN_PASSWORD"] = password, ["WRONG_PASSWORD"] = "not-the-password" };

        var setup = await cli.RunAsync(["cluster", "setup", silo.BaseAddress.ToString(), "--name", "secured"]);
        Assert.True(setup.ExitCode == 0, setup.ToString());
        Assert.Contains("requires login", setup.Output, StringComparison.Ordinal);

        var refused = await cli.RunAsync(["marathon", "app", "list"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("authentication required", refused.Error, StringComparison.Ordinal);

        var wrong = await cli.RunAsync(["auth", "login", "--username", "admin", "--password-env", "WRONG_PASSWORD"], environment: secrets);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("login failed", wrong.Error, StringComparison.Ordinal);

        // The bootstrap superuser is made just after the silo starts: the first login may come too early.
        CliResult login = wrong;
        await Poll.UntilAsync(async () => (login = await cli.RunAsync(["auth", "login", "--username", "admin", "--password-env", "ADMIN_PASSWORD"], environment: secrets)).ExitCode == 0,
            TimeSpan.FromSeconds(30), () => $"dcos auth login: {login}");
        Assert.Contains("logged in to cluster 'secured' as admin", login.Output, StringComparison.Ordinal);
        var config = Path.Combine(cli.ConfigDirectory, "clusters.json");
        Assert.Contains("\"token\"", await File.ReadAllTextAsync(config), StringComparison.Ordinal);
        Assert.DoesNotContain(password, await File.ReadAllTextAsync(config), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
        }

        var list = await cli.RunAsync(["marathon", "app", "list"]);
        Assert.True(list.ExitCode == 0, list.ToString());

        // Neither the password nor the token is in the silo's log.
        var token = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(config))!["clusters"]![0]!["token"]!.GetValue<string>();
        Assert.DoesNotContain(silo.Output, line => line.Contains(token.Split('.')[2], StringComparison.Ordinal) || line.Contains(password, StringComparison.Ordinal));

        Assert.Equal(0, (await cli.RunAsync(["auth", "logout"])).ExitCode);
        Assert.NotEqual(0, (await cli.RunAsync(["marathon", "app", "list"])).ExitCode);
        Assert.Contains("--password-env", (await cli.RunAsync(["auth", "login", "--username", "admin"])).Error, StringComparison.Ordinal);
    }
}

using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrleansDcos.Cli.Commands;

/// <summary>
/// <c>dcos auth login|logout</c>: a login token for the attached cluster, kept in the CLI's config file (owner-only)
/// and sent with every request; <c>DCOS_TOKEN</c> overrides it.
/// </summary>
public static class AuthCommands
{
    /// <summary>The <c>auth</c> command.</summary>
    public static Command Build(DcosCli cli)
    {
        var auth = new Command("auth", "Log in to and out of the attached cluster");

        var username = new Option<string>("--username") { Description = "The user or service account", Required = true };
        var passwordEnv = new Option<string?>("--password-env") { Description = "The environment variable holding the password" };
        var passwordFile = new Option<string?>("--password-file") { Description = "A file holding the password (its first line)" };
        var login = new Command("login", "Log in and keep the token for the attached cluster") { username, passwordEnv, passwordFile };
        cli.Handle(login, async (p, s, ct) =>
        {
            var config = ClusterConfig.Load(s.ConfigDirectory);
            var entry = config.AttachedCluster() ?? throw new CliException("no cluster attached: run `dcos cluster setup <url>` first");
            var uid = p.GetValue(username)!;
            var password = Password(cli, p.GetValue(passwordEnv), p.GetValue(passwordFile));
            using var http = new HttpClient { BaseAddress = ClusterUrl.Parse(entry.Url), Timeout = TimeSpan.FromSeconds(30) };
            using var response = await http.PostAsJsonAsync("acs/api/v1/auth/login", new { uid, password }, ct);
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
            if (response.StatusCode != HttpStatusCode.OK || answer?["token"]?.GetValue<string>() is not { Length: > 0 } token)
            {
                throw new CliException(response.StatusCode == HttpStatusCode.NotFound
                    ? $"{entry.Url} has no login (an older silo?)"
                    : $"login failed: {answer?["message"]?.GetValue<string>() ?? response.StatusCode.ToString()}");
            }

            config.Clusters[config.Clusters.IndexOf(entry)] = entry with { Token = token };
            config.Save(s.ConfigDirectory);
            s.WriteLine($"logged in to cluster '{entry.Name}' as {uid}");
            return ExitCodes.Success;
        });

        var logout = new Command("logout", "Forget the attached cluster's token");
        cli.Handle(logout, (p, s, ct) =>
        {
            var config = ClusterConfig.Load(s.ConfigDirectory);
            var entry = config.AttachedCluster() ?? throw new CliException("no cluster attached");
            config.Clusters[config.Clusters.IndexOf(entry)] = entry with { Token = null };
            config.Save(s.ConfigDirectory);
            s.WriteLine($"logged out of cluster '{entry.Name}'");
            return Task.FromResult(ExitCodes.Success);
        });

        auth.Subcommands.Add(login);
        auth.Subcommands.Add(logout);
        return auth;
    }

    private static string Password(DcosCli cli, string? variable, string? file)
    {
        if ((variable is null) == (file is null))
        {
            throw new CliException("give the password with --password-env VARIABLE or --password-file FILE (never on the command line)");
        }

        if (variable is not null)
        {
            return cli.Environment.GetValueOrDefault(variable) is { Length: > 0 } value
                ? value
                : throw new CliException($"the environment variable {variable} is not set");
        }

        return File.Exists(file) ? File.ReadLines(file!).FirstOrDefault() ?? "" : throw new CliException($"no file {file}");
    }
}

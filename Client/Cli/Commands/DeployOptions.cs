using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace OrleansDcos.Cli.Commands;

/// <summary>The options of every command that starts a deployment: <c>--no-wait</c>, <c>--timeout</c>, <c>--force</c>.</summary>
public sealed class DeployOptions
{
    private const int MaxTimeoutSeconds = 86_400;

    /// <summary>The options, for a command that waits by default.</summary>
    public DeployOptions()
    {
        Timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > MaxTimeoutSeconds)
            {
                r.AddError($"--timeout takes 1 to {MaxTimeoutSeconds} seconds");
            }
        });
    }

    /// <summary><c>--no-wait</c>.</summary>
    public Option<bool> NoWait { get; } = new("--no-wait") { Description = "Return once the deployment is accepted, without following it" };

    /// <summary><c>--timeout</c>.</summary>
    public Option<int> Timeout { get; } = new("--timeout") { Description = "Seconds to wait for the deployment before giving up (it goes on)", DefaultValueFactory = _ => 300 };

    /// <summary><c>--force</c>.</summary>
    public Option<bool> Force { get; } = new("--force") { Description = "Override a deployment that holds the app" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public Command AddTo(Command command, bool force = true)
    {
        command.Options.Add(NoWait);
        command.Options.Add(Timeout);
        if (force)
        {
            command.Options.Add(Force);
        }

        return command;
    }

    /// <summary><c>?force=true</c> when asked.</summary>
    public string ForceQuery(ParseResult parsed, char separator = '?') => parsed.GetValue(Force) ? separator + "force=true" : string.Empty;

    /// <summary>Reports the deployment an answer names and, unless <c>--no-wait</c>, follows it (and <paramref name="app"/>'s instances) to its end.</summary>
    public async Task<int> FollowAsync(ParseResult parsed, CliSession session, JsonNode answer, CancellationToken cancellationToken, string? app = null)
    {
        var deployment = DeploymentOf(answer);
        if (session.Json)
        {
            session.WriteJson(answer);
        }
        else if (deployment is not null)
        {
            session.WriteLine($"deployment {deployment} started");
        }

        if (deployment is null || parsed.GetValue(NoWait))
        {
            return ExitCodes.Success;
        }

        return await DeploymentWatch.WaitAsync(session, deployment, TimeSpan.FromSeconds(parsed.GetValue(Timeout)), cancellationToken,
            app is null ? null : [ApiPaths.Absolute(app)]);
    }

    /// <summary>What a kill answered: the API's JSON, the deployment that kills and scales down, or how many tasks were killed.</summary>
    public static int ReportKill(CliSession session, JsonNode answer)
    {
        if (session.Json)
        {
            session.WriteJson(answer);
        }
        else if (DeploymentOf(answer) is { } deployment)
        {
            session.WriteLine($"deployment {deployment} started (killing and scaling down)");
        }
        else
        {
            session.WriteLine($"killed {Cells.Objects(answer["tasks"]).Count()} task(s)");
        }

        return ExitCodes.Success;
    }

    /// <summary>The deployment id of a write's answer: <c>deploymentId</c> (PUT, DELETE, restart), <c>marathonDeploymentId</c> (a package update) or <c>deployments[0].id</c> (POST /v2/apps).</summary>
    public static string? DeploymentOf(JsonNode answer) =>
        answer["deploymentId"]?.ToString() ?? answer["marathonDeploymentId"]?.ToString()
        ?? (answer["deployments"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault()?["id"]?.ToString();

    /// <summary>A seconds count as text.</summary>
    public static string Seconds(int value) => value.ToString(CultureInfo.InvariantCulture);
}

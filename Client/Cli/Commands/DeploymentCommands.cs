using System.CommandLine;
using System.Text.Json.Nodes;

namespace OrleansDcos.Cli.Commands;

/// <summary><c>dcos marathon deployment list|watch|rollback|stop</c>.</summary>
public static class DeploymentCommands
{
    /// <summary>The <c>deployment</c> command.</summary>
    public static Command Build(DcosCli cli)
    {
        var deployment = new Command("deployment", "Marathon deployments in progress");

        var appFilter = new Argument<string?>("app-id") { Description = "Only deployments touching this app", Arity = ArgumentArity.ZeroOrOne };
        var list = new Command("list", "Deployments with their step and current actions") { appFilter };
        cli.Handle(list, async (p, s, ct) =>
        {
            var app = p.GetValue(appFilter) is { } given ? ApiPaths.Absolute(given) : null;
            var deployments = Cells.Objects(await s.GetAsync("v2/deployments", ct))
                .Where(d => app is null || (d["affectedApps"] as JsonArray ?? []).Any(a => a?.ToString() == app)).ToList();
            if (s.Json)
            {
                s.WriteJson(new JsonArray([.. deployments.Select(d => d.DeepClone())]));
                return ExitCodes.Success;
            }

            s.WriteTable(["ID", "APPS", "STEP", "ACTIONS", "VERSION"], deployments.Select(d => (IReadOnlyList<string>)
            [
                Cells.Text(d["id"]),
                string.Join(",", (d["affectedApps"] as JsonArray ?? []).Select(a => a?.ToString())),
                $"{Cells.Text(d["currentStep"])}/{Cells.Text(d["totalSteps"])}",
                DeploymentView.Step(d).Split(": ", 2)[^1],
                Cells.Text(d["version"]),
            ]));
            return ExitCodes.Success;
        });

        var watchId = DeploymentId();
        var timeout = new Option<int>("--timeout") { Description = "Seconds to watch before giving up", DefaultValueFactory = _ => 300 };
        var watch = new Command("watch", "Follow a deployment to its end") { watchId, timeout };
        cli.Handle(watch, (p, s, ct) => DeploymentWatch.WaitAsync(s, p.GetValue(watchId)!, TimeSpan.FromSeconds(Math.Clamp(p.GetValue(timeout), 1, 86_400)), ct));

        var rollbackId = DeploymentId();
        var rollbackDeploy = new DeployOptions();
        var rollback = rollbackDeploy.AddTo(new Command("rollback", "Cancel a deployment and deploy the apps as they were before it") { rollbackId }, force: false);
        cli.Handle(rollback, async (p, s, ct) =>
        {
            var answer = await s.SendAsync(HttpMethod.Delete, "v2/deployments/" + ApiPaths.Segment(p.GetValue(rollbackId)!), null, ct);
            return await rollbackDeploy.FollowAsync(p, s, answer, ct);
        });

        var stopId = DeploymentId();
        var stop = new Command("stop", "Cancel a deployment and leave the apps as they are now") { stopId };
        cli.Handle(stop, async (p, s, ct) =>
        {
            await s.SendAsync(HttpMethod.Delete, "v2/deployments/" + ApiPaths.Segment(p.GetValue(stopId)!) + "?force=true", null, ct);
            s.WriteLine($"deployment {p.GetValue(stopId)} stopped");
            return ExitCodes.Success;
        });

        foreach (var verb in new[] { list, watch, rollback, stop })
        {
            deployment.Subcommands.Add(verb);
        }

        return deployment;
    }

    private static Argument<string> DeploymentId() => new("deployment-id") { Description = "The deployment's id (see `dcos marathon deployment list`)" };
}

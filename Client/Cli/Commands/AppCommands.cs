using System.CommandLine;
using System.Text.Json.Nodes;

namespace OrleansDcos.Cli.Commands;

/// <summary><c>dcos marathon app add|list|show|update|remove|restart|kill|scale|versions</c>.</summary>
public static class AppCommands
{
    /// <summary>The <c>app</c> command.</summary>
    public static Command Build(DcosCli cli)
    {
        var app = new Command("app", "Marathon apps");

        var file = new Argument<string?>("app-file") { Description = "A Marathon app definition (JSON); standard input when omitted or -", Arity = ArgumentArity.ZeroOrOne };
        var addDeploy = new DeployOptions();
        var add = addDeploy.AddTo(new Command("add", "Create an app and follow its deployment") { file }, force: false);
        cli.Handle(add, async (p, s, ct) =>
        {
            var definition = await InputFile.ReadObjectAsync(p.GetValue(file), Console.In, ct);
            var answer = await s.SendAsync(HttpMethod.Post, "v2/apps", definition, ct);
            return await addDeploy.FollowAsync(p, s, answer, ct, answer["id"]?.ToString() ?? definition["id"]?.ToString());
        });

        var list = new Command("list", "Apps with their resources, instances, health and deployments");
        cli.Handle(list, async (p, s, ct) =>
        {
            var apps = await s.GetAsync("v2/apps", ct);
            if (s.Json)
            {
                s.WriteJson(apps["apps"]);
                return ExitCodes.Success;
            }

            s.WriteTable(["ID", "MEM", "CPUS", "TASKS", "HEALTH", "DEPLOYMENT", "WAITING", "CMD / IMAGE"], Cells.Objects(apps["apps"]).Select(a => (IReadOnlyList<string>)
            [
                Cells.Text(a["id"]),
                Cells.Text(a["mem"]),
                Cells.Text(a["cpus"]),
                $"{Cells.Text(a["tasksRunning"])}/{Cells.Text(a["instances"])}",
                a["healthChecks"] is JsonArray { Count: > 0 } ? $"{Cells.Text(a["tasksHealthy"])}/{Cells.Text(a["instances"])}" : "-",
                Cells.Objects(a["deployments"]).Any() ? "yes" : "-",
                a["tasksStaged"] is JsonValue staged && staged.TryGetValue<int>(out var n) && n > 0 ? "yes" : "-",
                Cells.Cut(a["cmd"]?.ToString() ?? a["container"]?["docker"]?["image"]?.ToString(), 50),
            ]));
            return ExitCodes.Success;
        });

        var showId = AppId();
        var version = new Option<string?>("--app-version") { Description = "A version (a timestamp from `versions`) instead of the current definition" };
        var show = new Command("show", "An app's definition and status (JSON)") { showId, version };
        cli.Handle(show, async (p, s, ct) =>
        {
            var id = p.GetValue(showId)!;
            s.WriteJson(p.GetValue(version) is { } v
                ? await s.GetAsync(ApiPaths.Under("v2/apps", id) + "/versions/" + ApiPaths.Segment(v), ct)
                : (await s.GetAsync(ApiPaths.Under("v2/apps", id), ct))["app"]);
            return ExitCodes.Success;
        });

        var updateId = AppId();
        var properties = new Argument<string[]>("properties") { Description = "Fields to change as key=value (values in JSON: instances=3, env={\"A\":\"1\"})", Arity = ArgumentArity.ZeroOrMore };
        var updateFile = new Option<string?>("--file") { Description = "A whole new definition (JSON; - for standard input) instead of properties" };
        var updateDeploy = new DeployOptions();
        var update = updateDeploy.AddTo(new Command("update", "Change an app and follow the deployment") { updateId, properties, updateFile });
        cli.Handle(update, async (p, s, ct) =>
        {
            var id = ApiPaths.Absolute(p.GetValue(updateId)!);
            var given = p.GetValue(properties) ?? [];
            JsonNode answer;
            if (p.GetValue(updateFile) is { } path)
            {
                if (given.Length > 0)
                {
                    throw new CliException("give either --file or key=value properties, not both");
                }

                var definition = await InputFile.ReadObjectAsync(path, Console.In, ct);
                definition["id"] ??= id;
                answer = await s.SendAsync(HttpMethod.Put, ApiPaths.Under("v2/apps", id) + updateDeploy.ForceQuery(p), definition, ct);
            }
            else if (given.Length > 0)
            {
                answer = await s.SendAsync(HttpMethod.Patch, ApiPaths.Under("v2/apps", id) + updateDeploy.ForceQuery(p), Properties.Parse(given), ct);
            }
            else
            {
                throw new CliException("nothing to change: give key=value properties (e.g. instances=3) or --file");
            }

            return await updateDeploy.FollowAsync(p, s, answer, ct, id);
        });

        var scaleId = AppId();
        var instances = new Argument<int>("instances") { Description = "The number of instances wanted" };
        instances.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("instances cannot be negative");
            }
        });
        var scaleDeploy = new DeployOptions();
        var scale = scaleDeploy.AddTo(new Command("scale", "Set an app's instance count and follow the deployment") { scaleId, instances });
        cli.Handle(scale, async (p, s, ct) =>
        {
            var answer = await s.SendAsync(HttpMethod.Patch, ApiPaths.Under("v2/apps", p.GetValue(scaleId)!) + scaleDeploy.ForceQuery(p), new JsonObject { ["instances"] = p.GetValue(instances) }, ct);
            return await scaleDeploy.FollowAsync(p, s, answer, ct, p.GetValue(scaleId));
        });

        var restartId = AppId();
        var restartDeploy = new DeployOptions();
        var restart = restartDeploy.AddTo(new Command("restart", "Replace every instance (within the upgrade strategy) and follow it") { restartId });
        cli.Handle(restart, async (p, s, ct) =>
        {
            var answer = await s.SendAsync(HttpMethod.Post, ApiPaths.Under("v2/apps", p.GetValue(restartId)!) + "/restart" + restartDeploy.ForceQuery(p), null, ct);
            return await restartDeploy.FollowAsync(p, s, answer, ct, p.GetValue(restartId));
        });

        var removeId = AppId();
        var removeDeploy = new DeployOptions();
        var remove = removeDeploy.AddTo(new Command("remove", "Stop and delete an app") { removeId });
        cli.Handle(remove, async (p, s, ct) =>
        {
            var answer = await s.SendAsync(HttpMethod.Delete, ApiPaths.Under("v2/apps", p.GetValue(removeId)!) + removeDeploy.ForceQuery(p), null, ct);
            return await removeDeploy.FollowAsync(p, s, answer, ct);
        });

        var killId = AppId();
        var killScale = new Option<bool>("--scale") { Description = "Lower the instance count by as many (else Marathon replaces them)" };
        var host = new Option<string?>("--host") { Description = "Only the tasks on this host" };
        var kill = new Command("kill", "Kill an app's tasks") { killId, killScale, host };
        cli.Handle(kill, async (p, s, ct) =>
        {
            var query = new List<string>();
            if (p.GetValue(killScale))
            {
                query.Add("scale=true");
            }

            if (p.GetValue(host) is { } h)
            {
                query.Add("host=" + Uri.EscapeDataString(h));
            }

            var answer = await s.SendAsync(HttpMethod.Delete, ApiPaths.Under("v2/apps", p.GetValue(killId)!) + "/tasks" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty), null, ct);
            return DeployOptions.ReportKill(s, answer);
        });

        var versionsId = AppId();
        var maxCount = new Option<int?>("--max-count") { Description = "At most this many, newest first" };
        var versions = new Command("versions", "The kept versions of an app, newest first") { versionsId, maxCount };
        cli.Handle(versions, async (p, s, ct) =>
        {
            var answer = await s.GetAsync(ApiPaths.Under("v2/apps", p.GetValue(versionsId)!) + "/versions", ct);
            var list = (answer["versions"] as JsonArray ?? []).Select(v => v?.ToString() ?? string.Empty).Take(p.GetValue(maxCount) ?? int.MaxValue).ToList();
            if (s.Json)
            {
                s.WriteJson(new JsonArray([.. list.Select(v => (JsonNode)v)]));
            }
            else
            {
                list.ForEach(s.WriteLine);
            }

            return ExitCodes.Success;
        });

        foreach (var verb in new[] { add, list, show, update, remove, restart, kill, scale, versions })
        {
            app.Subcommands.Add(verb);
        }

        return app;
    }

    private static Argument<string> AppId() => new("app-id") { Description = "The app's id, e.g. /prod/web" };
}

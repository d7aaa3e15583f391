using System.CommandLine;
using System.Text.Json.Nodes;

namespace OrleansDcos.Cli.Commands;

/// <summary><c>dcos marathon task list|show|kill</c>: Marathon's tasks.</summary>
public static class MarathonTaskCommands
{
    /// <summary>The <c>task</c> command under <c>marathon</c>.</summary>
    public static Command Build(DcosCli cli)
    {
        var task = new Command("task", "Marathon's tasks");

        var appFilter = new Argument<string?>("app-id") { Description = "Only this app's tasks", Arity = ArgumentArity.ZeroOrOne };
        var list = new Command("list", "Tasks with their app, state, health and host") { appFilter };
        cli.Handle(list, async (p, s, ct) =>
        {
            var app = p.GetValue(appFilter) is { } given ? ApiPaths.Absolute(given) : null;
            var tasks = Cells.Objects((await s.GetAsync("v2/tasks", ct))["tasks"]).Where(t => app is null || t["appId"]?.ToString() == app).ToList();
            if (s.Json)
            {
                s.WriteJson(new JsonArray([.. tasks.Select(t => t.DeepClone())]));
                return ExitCodes.Success;
            }

            s.WriteTable(["APP", "STATE", "HEALTHY", "STARTED", "HOST", "PORTS", "ID"], tasks.Select(t => (IReadOnlyList<string>)
            [
                Cells.Text(t["appId"]),
                Cells.Text(t["state"]),
                t["healthCheckResults"] is JsonArray { Count: > 0 } results ? results.All(r => r?["alive"]?.GetValue<bool>() == true).ToString().ToLowerInvariant() : "-",
                Cells.Text(t["startedAt"]),
                Cells.Text(t["host"]),
                string.Join(",", (t["ports"] as JsonArray ?? []).Select(x => x?.ToString())),
                Cells.Text(t["id"]),
            ]));
            return ExitCodes.Success;
        });

        var showId = new Argument<string>("task-id") { Description = "The task's id" };
        var show = new Command("show", "A task (JSON)") { showId };
        cli.Handle(show, async (p, s, ct) =>
        {
            var id = p.GetValue(showId)!;
            var found = Cells.Objects((await s.GetAsync("v2/tasks", ct))["tasks"]).FirstOrDefault(t => t["id"]?.ToString() == id)
                ?? throw new CliException($"no Marathon task '{id}': see `dcos marathon task list`");
            s.WriteJson(found);
            return ExitCodes.Success;
        });

        var ids = new Argument<string[]>("task-ids") { Description = "The tasks' ids", Arity = ArgumentArity.OneOrMore };
        var scale = new Option<bool>("--scale") { Description = "Lower the apps' instance counts by as many (else Marathon replaces them)" };
        var wipe = new Option<bool>("--wipe") { Description = "Also forget the tasks' reservations and volumes (resident apps)" };
        var kill = new Command("kill", "Kill tasks") { ids, scale, wipe };
        cli.Handle(kill, async (p, s, ct) =>
        {
            var query = new List<string>();
            if (p.GetValue(scale))
            {
                query.Add("scale=true");
            }

            if (p.GetValue(wipe))
            {
                query.Add("wipe=true");
            }

            var body = new JsonObject { ["ids"] = new JsonArray([.. p.GetValue(ids)!.Select(i => (JsonNode)i)]) };
            var answer = await s.SendAsync(HttpMethod.Post, "v2/tasks/delete" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty), body, ct);
            return DeployOptions.ReportKill(s, answer);
        });

        task.Subcommands.Add(list);
        task.Subcommands.Add(show);
        task.Subcommands.Add(kill);
        return task;
    }
}

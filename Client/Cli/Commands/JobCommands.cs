using System.CommandLine;
using System.Text.Json.Nodes;

namespace OrleansDcos.Cli.Commands;

/// <summary><c>dcos job add|run|list|show|history|remove</c>: the built-in Chronos' jobs.</summary>
public static class JobCommands
{
    private const string Scheduler = "v1/scheduler";

    /// <summary>The <c>job</c> command.</summary>
    public static Command Build(DcosCli cli)
    {
        var job = new Command("job", "Scheduled and dependent jobs (Chronos)");

        var file = new Argument<string?>("job-file") { Description = "A Chronos job definition (JSON); standard input when omitted or -", Arity = ArgumentArity.ZeroOrOne };
        var add = new Command("add", "Create or replace a job") { file };
        cli.Handle(add, async (p, s, ct) =>
        {
            var definition = await InputFile.ReadObjectAsync(p.GetValue(file), Console.In, ct);
            var dependent = definition["parents"] is JsonArray { Count: > 0 };
            await s.SendAsync(HttpMethod.Post, $"{Scheduler}/{(dependent ? "dependency" : "iso8601")}", definition, ct);
            s.WriteLine($"job '{definition["name"]}' saved");
            return ExitCodes.Success;
        });

        var runName = new Argument<string>("name") { Description = "The job's name" };
        var arguments = new Argument<string[]>("arguments") { Description = "Arguments appended to the job's command for this run", Arity = ArgumentArity.ZeroOrMore };
        var run = new Command("run", "Run a job now") { runName, arguments };
        cli.Handle(run, async (p, s, ct) =>
        {
            var name = p.GetValue(runName)!;
            var extra = p.GetValue(arguments) ?? [];
            await s.SendAsync(HttpMethod.Put, JobPath(name) + (extra.Length > 0 ? "?arguments=" + Uri.EscapeDataString(string.Join(' ', extra)) : string.Empty), null, ct);
            s.WriteLine($"job '{name}' started");
            return ExitCodes.Success;
        });

        var list = new Command("list", "Jobs with their schedule, state and last results");
        cli.Handle(list, async (p, s, ct) =>
        {
            var jobs = await s.GetAsync($"{Scheduler}/jobs", ct);
            if (s.Json)
            {
                s.WriteJson(jobs);
                return ExitCodes.Success;
            }

            s.WriteTable(["NAME", "SCHEDULE / PARENTS", "STATE", "SUCCESS", "ERRORS", "LAST SUCCESS", "LAST ERROR", "COMMAND"], Cells.Objects(jobs).Select(j => (IReadOnlyList<string>)
            [
                Cells.Text(j["name"]),
                j["parents"] is JsonArray { Count: > 0 } parents ? "after " + string.Join(",", parents.Select(x => x?.ToString())) : Cells.Text(j["schedule"]),
                j["disabled"]?.GetValue<bool>() == true ? "disabled" : j["currentRun"] is JsonObject ? "running" : "idle",
                Cells.Text(j["successCount"]),
                Cells.Text(j["errorCount"]),
                Empty(j["lastSuccess"]),
                Empty(j["lastError"]),
                Cells.Cut(j["command"]?.ToString(), 40),
            ]));
            return ExitCodes.Success;
        });

        var showName = new Argument<string>("name") { Description = "The job's name" };
        var show = new Command("show", "A job's definition, counters, next due times and current run") { showName };
        cli.Handle(show, async (p, s, ct) =>
        {
            s.WriteJson(await s.GetAsync(JobPath(p.GetValue(showName)!), ct));
            return ExitCodes.Success;
        });

        var historyName = new Argument<string>("name") { Description = "The job's name" };
        var history = new Command("history", "A job's runs, newest first (skipped ones with why)") { historyName };
        cli.Handle(history, async (p, s, ct) =>
        {
            var runs = await s.GetAsync(JobPath(p.GetValue(historyName)!) + "/runs", ct);
            if (s.Json)
            {
                s.WriteJson(runs);
                return ExitCodes.Success;
            }

            s.WriteTable(["DUE", "TRIGGER", "ATTEMPT", "STATE", "STARTED", "FINISHED", "HOST", "MESSAGE"], Cells.Objects(runs["runs"]).Select(r => (IReadOnlyList<string>)
            [
                Cells.Text(r["due"]),
                Cells.Text(r["trigger"]),
                Cells.Text(r["attempt"]),
                Cells.Text(r["state"]),
                Cells.Text(r["startedAt"]),
                Cells.Text(r["finishedAt"]),
                Cells.Text(r["host"]),
                Cells.Cut(r["message"]?.ToString(), 60),
            ]));
            return ExitCodes.Success;
        });

        var removeName = new Argument<string>("name") { Description = "The job's name" };
        var remove = new Command("remove", "Delete a job (refused while it is another job's parent)") { removeName };
        cli.Handle(remove, async (p, s, ct) =>
        {
            await s.SendAsync(HttpMethod.Delete, JobPath(p.GetValue(removeName)!), null, ct);
            s.WriteLine($"job '{p.GetValue(removeName)}' removed");
            return ExitCodes.Success;
        });

        foreach (var verb in new[] { add, run, list, show, history, remove })
        {
            job.Subcommands.Add(verb);
        }

        return job;
    }

    private static string JobPath(string name) => $"{Scheduler}/job/{ApiPaths.Segment(name)}";

    private static string Empty(JsonNode? node) => node is null || node.ToString().Length == 0 ? "-" : node.ToString();
}

using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using OrleansDcos.Client;

namespace OrleansDcos.Cli.Commands;

/// <summary><c>dcos task list|log</c>: every framework's tasks (Mesos' view) and their sandbox logs, live with <c>--follow</c>.</summary>
public static class TaskCommands
{
    private const int MaxLines = 100_000;

    /// <summary>The <c>task</c> command.</summary>
    public static Command Build(DcosCli cli)
    {
        var task = new Command("task", "Tasks of every framework, and their logs");

        var filter = new Argument<string?>("filter") { Description = "Only tasks whose id or name contains this", Arity = ArgumentArity.ZeroOrOne };
        var completed = new Option<bool>("--completed") { Description = "Also list tasks that ended" };
        var list = new Command("list", "Tasks with their state, host and framework") { filter, completed };
        cli.Handle(list, async (p, s, ct) =>
        {
            var state = await s.GetAsync("master/state", ct);
            var tasks = Tasks(state, p.GetValue(completed)).Where(t => Matches(t, p.GetValue(filter))).ToList();
            if (s.Json)
            {
                s.WriteJson(new JsonArray([.. tasks.Select(t => t.DeepClone())]));
                return ExitCodes.Success;
            }

            var hosts = Cells.Objects(state["slaves"]).ToDictionary(a => a["id"]!.ToString(), a => a["hostname"]?.ToString() ?? "-", StringComparer.Ordinal);
            var frameworks = Cells.Objects(state["frameworks"]).Concat(Cells.Objects(state["completed_frameworks"]))
                .GroupBy(f => f["id"]!.ToString(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First()["name"]?.ToString() ?? "-", StringComparer.Ordinal);
            s.WriteTable(["NAME", "HOST", "FRAMEWORK", "STATE", "ID"], tasks.Select(t => (IReadOnlyList<string>)
            [
                Cells.Text(t["name"]),
                hosts.GetValueOrDefault(t["slave_id"]?.ToString() ?? string.Empty, "-"),
                frameworks.GetValueOrDefault(t["framework_id"]?.ToString() ?? string.Empty, "-"),
                Cells.Text(t["state"]),
                Cells.Text(t["id"]),
            ]));
            return ExitCodes.Success;
        });

        var taskId = new Argument<string>("task") { Description = "A task id, or a part of one that names a single task" };
        var file = new Argument<string>("file") { Description = "stdout or stderr", DefaultValueFactory = _ => "stdout" };
        file.AcceptOnlyFromAmong("stdout", "stderr");
        var follow = new Option<bool>("--follow") { Description = "Keep printing what the task writes (Ctrl+C to stop)" };
        var lines = new Option<int>("--lines") { Description = "How many of the last lines to print first", DefaultValueFactory = _ => 10 };
        lines.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > MaxLines)
            {
                r.AddError($"--lines takes 0 to {MaxLines}");
            }
        });
        var log = new Command("log", "A task's stdout or stderr; --follow keeps it coming") { taskId, file, follow, lines };
        cli.Handle(log, async (p, s, ct) =>
        {
            var id = await ResolveAsync(s, p.GetValue(taskId)!, ct);
            var client = new DcosClient(s.Http);
            var name = p.GetValue(file)!;
            var head = await client.ReadTaskLogAsync(id, name, 0, 0, ct);
            var tailBytes = Math.Min(head.Size, Math.Max(64 * 1024, p.GetValue(lines) * 256L));
            var offset = head.Size - tailBytes;
            var text = new StringBuilder();
            while (offset < head.Size)
            {
                var chunk = await client.ReadTaskLogAsync(id, name, offset, (int)Math.Min(head.Size - offset, 1024 * 1024), ct);
                if (chunk.Data.Length == 0)
                {
                    break;
                }

                text.Append(chunk.Data);
                offset = chunk.Offset + Encoding.UTF8.GetByteCount(chunk.Data);
            }

            await s.Output.WriteAsync(LastLines(text.ToString(), p.GetValue(lines), cutAtStart: head.Size > tailBytes));
            await s.Output.FlushAsync(ct);
            if (!p.GetValue(follow))
            {
                return ExitCodes.Success;
            }

            try
            {
                while (true)
                {
                    var chunk = await client.ReadTaskLogAsync(id, name, offset, 65536, ct);
                    if (chunk.Data.Length > 0)
                    {
                        await s.Output.WriteAsync(chunk.Data);
                        await s.Output.FlushAsync(ct);
                        offset = chunk.Offset + Encoding.UTF8.GetByteCount(chunk.Data);
                        continue;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return ExitCodes.Success; // Ctrl+C ends a follow
            }
        });

        task.Subcommands.Add(list);
        task.Subcommands.Add(log);
        return task;
    }

    /// <summary>The last <paramref name="count"/> lines of <paramref name="text"/> (a first partial line left out when the text was cut).</summary>
    public static string LastLines(string text, int count, bool cutAtStart)
    {
        if (count == 0 || text.Length == 0)
        {
            return string.Empty;
        }

        var lines = text.Split('\n').ToList();
        if (cutAtStart && lines.Count > 1)
        {
            lines.RemoveAt(0);
        }

        var complete = text.EndsWith('\n');
        if (complete)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var kept = lines.Skip(Math.Max(0, lines.Count - count));
        return string.Join('\n', kept) + (complete ? "\n" : string.Empty);
    }

    private static IEnumerable<JsonObject> Tasks(JsonNode state, bool completed)
    {
        var frameworks = Cells.Objects(state["frameworks"]).ToList();
        var live = frameworks.SelectMany(f => Cells.Objects(f["tasks"]));
        return completed
            ? live.Concat(frameworks.Concat(Cells.Objects(state["completed_frameworks"])).SelectMany(f => Cells.Objects(f["completed_tasks"])))
            : live;
    }

    private static bool Matches(JsonObject task, string? filter) =>
        filter is null
        || (task["id"]?.ToString() ?? string.Empty).Contains(filter, StringComparison.Ordinal)
        || (task["name"]?.ToString() ?? string.Empty).Contains(filter, StringComparison.Ordinal);

    /// <summary>The one task <paramref name="given"/> names (its id, or a part of one id or name).</summary>
    private static async Task<string> ResolveAsync(CliSession s, string given, CancellationToken ct)
    {
        var state = await s.GetAsync("master/state", ct);
        var tasks = Tasks(state, completed: true).ToList();
        if (tasks.Any(t => t["id"]?.ToString() == given))
        {
            return given;
        }

        var matches = tasks.Where(t => Matches(t, given)).Select(t => t["id"]!.ToString()).Distinct(StringComparer.Ordinal).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CliException($"no task matches '{given}': see `dcos task list --completed`"),
            _ => throw new CliException($"'{given}' matches {matches.Count} tasks ({string.Join(", ", matches.Take(3))}{(matches.Count > 3 ? ", …" : string.Empty)}): give more of the id"),
        };
    }
}

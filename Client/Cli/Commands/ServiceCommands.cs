using System.CommandLine;

namespace OrleansDcos.Cli.Commands;

/// <summary><c>dcos service list</c>: the frameworks (Marathon, Chronos and any other scheduler).</summary>
public static class ServiceCommands
{
    /// <summary>The <c>service</c> command.</summary>
    public static Command Build(DcosCli cli)
    {
        var service = new Command("service", "The frameworks running on the cluster");
        var completed = new Option<bool>("--completed") { Description = "Also list frameworks that ended" };
        var list = new Command("list", "Frameworks with their tasks and resources") { completed };
        cli.Handle(list, async (p, s, ct) =>
        {
            var answer = await s.GetAsync("master/frameworks", ct);
            var frameworks = Cells.Objects(answer["frameworks"]).Select(f => (Framework: f, Ended: false));
            if (p.GetValue(completed))
            {
                frameworks = frameworks.Concat(Cells.Objects(answer["completed_frameworks"]).Select(f => (Framework: f, Ended: true)));
            }

            var rows = frameworks.ToList();
            if (s.Json)
            {
                s.WriteJson(new System.Text.Json.Nodes.JsonArray([.. rows.Select(r => r.Framework.DeepClone())]));
                return ExitCodes.Success;
            }

            s.WriteTable(["NAME", "HOST", "ACTIVE", "TASKS", "CPU", "MEM", "DISK", "ID"], rows.Select(r => (IReadOnlyList<string>)
            [
                Cells.Text(r.Framework["name"]),
                Cells.Text(r.Framework["hostname"]),
                r.Ended ? "ended" : r.Framework["active"]?.GetValue<bool>() == true ? "true" : "false",
                Cells.Objects(r.Framework["tasks"]).Count().ToString(System.Globalization.CultureInfo.InvariantCulture),
                Cells.Number(Cells.Scalar(r.Framework["used_resources"], "cpus")),
                Cells.Number(Cells.Scalar(r.Framework["used_resources"], "mem")),
                Cells.Number(Cells.Scalar(r.Framework["used_resources"], "disk")),
                Cells.Text(r.Framework["id"]),
            ]));
            return ExitCodes.Success;
        });
        service.Subcommands.Add(list);
        return service;
    }
}

using System.CommandLine;

namespace OrleansDcos.Cli.Commands;

/// <summary><c>dcos node list</c>: the agents, with their resources used of total and their status.</summary>
public static class NodeCommands
{
    /// <summary>The <c>node</c> command.</summary>
    public static Command Build(DcosCli cli)
    {
        var node = new Command("node", "The cluster's agents");
        var list = new Command("list", "Agents with resources used/total and status");
        cli.Handle(list, async (p, s, ct) =>
        {
            var slaves = await s.GetAsync("master/slaves", ct);
            if (s.Json)
            {
                s.WriteJson(slaves["slaves"]);
                return ExitCodes.Success;
            }

            s.WriteTable(["HOSTNAME", "STATUS", "CPUS", "MEM (MB)", "DISK (MB)", "GPUS", "ID"], Cells.Objects(slaves["slaves"]).Select(a => (IReadOnlyList<string>)
            [
                Cells.Text(a["hostname"]),
                a["active"]?.GetValue<bool>() == true ? "active" : a["deactivated"]?.GetValue<bool>() == true ? "deactivated" : "inactive",
                Cells.UsedOfTotal(a["used_resources"], a["resources"], "cpus"),
                Cells.UsedOfTotal(a["used_resources"], a["resources"], "mem"),
                Cells.UsedOfTotal(a["used_resources"], a["resources"], "disk"),
                Cells.UsedOfTotal(a["used_resources"], a["resources"], "gpus"),
                Cells.Text(a["id"]),
            ]));
            return ExitCodes.Success;
        });
        node.Subcommands.Add(list);
        return node;
    }
}

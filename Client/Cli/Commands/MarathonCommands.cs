using System.CommandLine;

namespace OrleansDcos.Cli.Commands;

/// <summary><c>dcos marathon app|deployment|task|group</c>: the built-in Marathon.</summary>
public static class MarathonCommands
{
    /// <summary>The <c>marathon</c> command.</summary>
    public static Command Build(DcosCli cli)
    {
        var marathon = new Command("marathon", "Long-running services (Marathon): apps, groups, deployments, tasks");
        marathon.Subcommands.Add(AppCommands.Build(cli));
        marathon.Subcommands.Add(DeploymentCommands.Build(cli));
        marathon.Subcommands.Add(MarathonTaskCommands.Build(cli));
        marathon.Subcommands.Add(GroupCommands.Build(cli));
        return marathon;
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;

namespace OrleansDcos.Cli.Commands;

/// <summary><c>dcos marathon group add|list|show|remove</c>.</summary>
public static class GroupCommands
{
    /// <summary>The <c>group</c> command.</summary>
    public static Command Build(DcosCli cli)
    {
        var group = new Command("group", "Marathon groups");

        var file = new Argument<string?>("group-file") { Description = "A Marathon group definition (JSON); standard input when omitted or -", Arity = ArgumentArity.ZeroOrOne };
        var addDeploy = new DeployOptions();
        var add = addDeploy.AddTo(new Command("add", "Create a group with its apps and follow the deployment") { file });
        cli.Handle(add, async (p, s, ct) =>
        {
            var definition = await InputFile.ReadObjectAsync(p.GetValue(file), Console.In, ct);
            var answer = await s.SendAsync(HttpMethod.Post, "v2/groups" + addDeploy.ForceQuery(p), definition, ct);
            return await addDeploy.FollowAsync(p, s, answer, ct);
        });

        var list = new Command("list", "Groups with their apps");
        cli.Handle(list, async (p, s, ct) =>
        {
            var root = await s.GetAsync("v2/groups", ct);
            var groups = Flatten(root as JsonObject).ToList();
            if (s.Json)
            {
                s.WriteJson(new JsonArray([.. groups.Select(g => (JsonNode)new JsonObject { ["id"] = g["id"]?.DeepClone(), ["version"] = g["version"]?.DeepClone(), ["apps"] = Cells.Objects(g["apps"]).Count() })]));
                return ExitCodes.Success;
            }

            s.WriteTable(["ID", "APPS", "VERSION"], groups.Select(g => (IReadOnlyList<string>)[Cells.Text(g["id"]), Cells.Objects(g["apps"]).Count().ToString(System.Globalization.CultureInfo.InvariantCulture), Cells.Text(g["version"])]));
            return ExitCodes.Success;
        });

        var showId = GroupId();
        var show = new Command("show", "A group with its apps and groups (JSON)") { showId };
        cli.Handle(show, async (p, s, ct) =>
        {
            s.WriteJson(await s.GetAsync(ApiPaths.Under("v2/groups", p.GetValue(showId)!), ct));
            return ExitCodes.Success;
        });

        var removeId = GroupId();
        var removeDeploy = new DeployOptions();
        var remove = removeDeploy.AddTo(new Command("remove", "Stop and delete a group and everything in it") { removeId });
        cli.Handle(remove, async (p, s, ct) =>
        {
            var answer = await s.SendAsync(HttpMethod.Delete, ApiPaths.Under("v2/groups", p.GetValue(removeId)!) + removeDeploy.ForceQuery(p), null, ct);
            return await removeDeploy.FollowAsync(p, s, answer, ct);
        });

        foreach (var verb in new[] { add, list, show, remove })
        {
            group.Subcommands.Add(verb);
        }

        return group;
    }

    private static Argument<string> GroupId() => new("group-id") { Description = "The group's id, e.g. /prod" };

    private static IEnumerable<JsonObject> Flatten(JsonObject? group)
    {
        if (group is null)
        {
            yield break;
        }

        yield return group;
        foreach (var child in Cells.Objects(group["groups"]).SelectMany(Flatten))
        {
            yield return child;
        }
    }
}

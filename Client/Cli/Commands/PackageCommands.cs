using System.CommandLine;
using System.Text.Json.Nodes;

namespace OrleansDcos.Cli.Commands;

/// <summary><c>dcos package search|describe|install|uninstall|list|update|repo add|list|remove</c>: the package service (Cosmos' API).</summary>
public static class PackageCommands
{
    /// <summary>The <c>package</c> command.</summary>
    public static Command Build(DcosCli cli)
    {
        var package = new Command("package", "Install services from package repositories");

        var query = new Argument<string?>("query") { Description = "Words in the name, description or tags", Arity = ArgumentArity.ZeroOrOne };
        var search = new Command("search", "Packages the repositories hold") { query };
        cli.Handle(search, async (p, s, ct) =>
        {
            var answer = await CallAsync(s, "search", new JsonObject { ["query"] = p.GetValue(query) ?? "" }, ct);
            if (s.Json)
            {
                s.WriteJson(answer);
                return ExitCodes.Success;
            }

            s.WriteTable(["NAME", "VERSION", "SELECTED", "FRAMEWORK", "DESCRIPTION"], Cells.Objects(answer["packages"]).Select(x => (IReadOnlyList<string>)
            [
                Cells.Text(x["name"]), Cells.Text(x["currentVersion"]), Cells.Text(x["selected"]), Cells.Text(x["framework"]), Cells.Cut(x["description"]?.ToString(), 70),
            ]));
            ReportRepositoryErrors(s, answer);
            return ExitCodes.Success;
        });

        var describeName = new Argument<string>("package-name") { Description = "The package" };
        var describeVersion = PackageVersion();
        var describe = new Command("describe", "A package: its package.json, options schema and template") { describeName, describeVersion };
        cli.Handle(describe, async (p, s, ct) =>
        {
            s.WriteJson((await CallAsync(s, "describe", Named(p.GetValue(describeName)!, p.GetValue(describeVersion)), ct))["package"]);
            return ExitCodes.Success;
        });

        var installName = new Argument<string>("package-name") { Description = "The package" };
        var installVersion = PackageVersion();
        var options = new Option<string?>("--options") { Description = "A JSON file of options (over the schema's defaults)" };
        var appId = new Option<string?>("--app-id") { Description = "Install under this app id (to install a package twice)" };
        var yes = new Option<bool>("--yes") { Description = "Do not ask before installing" };
        var render = new Option<bool>("--render") { Description = "Print the Marathon app it would deploy, and install nothing" };
        var install = new Command("install", "Install a package") { installName, installVersion, options, appId, yes, render };
        cli.Handle(install, async (p, s, ct) =>
        {
            var request = Named(p.GetValue(installName)!, p.GetValue(installVersion));
            if (p.GetValue(options) is { } file)
            {
                request["options"] = await InputFile.ReadObjectAsync(file, Console.In, ct);
            }

            if (p.GetValue(appId) is { } id)
            {
                request["appId"] = id;
            }

            if (p.GetValue(render))
            {
                s.WriteJson((await CallAsync(s, "render", request, ct))["marathonJson"]);
                return ExitCodes.Success;
            }

            var described = (await CallAsync(s, "describe", Named(p.GetValue(installName)!, p.GetValue(installVersion)), ct))["package"]!;
            if (!s.Json && described["preInstallNotes"]?.ToString() is { Length: > 0 } notes)
            {
                s.WriteLine(notes);
            }

            if (!p.GetValue(yes))
            {
                if (!s.Interactive || Console.IsInputRedirected)
                {
                    throw new CliException("pass --yes to install without being asked");
                }

                s.Output.Write("Continue installing? [yes/no] ");
                if (Console.ReadLine()?.Trim().ToLowerInvariant() is not ("yes" or "y"))
                {
                    throw new CliException("not installed");
                }
            }

            var answer = await CallAsync(s, "install", request, ct);
            if (s.Json)
            {
                s.WriteJson(answer);
            }
            else
            {
                s.WriteLine($"installed {answer["packageName"]} {answer["packageVersion"]} as {answer["appId"]} (deployment {answer["deploymentId"]})");
                if (answer["postInstallNotes"]?.ToString() is { Length: > 0 } after)
                {
                    s.WriteLine(after);
                }
            }

            return ExitCodes.Success;
        });

        var uninstallName = new Argument<string>("package-name") { Description = "The package" };
        var uninstallApp = new Option<string?>("--app-id") { Description = "Which installation (when there are several)" };
        var all = new Option<bool>("--all") { Description = "Every installation of the package" };
        var uninstall = new Command("uninstall", "Remove an installed package") { uninstallName, uninstallApp, all };
        cli.Handle(uninstall, async (p, s, ct) =>
        {
            var request = new JsonObject { ["packageName"] = p.GetValue(uninstallName), ["all"] = p.GetValue(all) };
            if (p.GetValue(uninstallApp) is { } id)
            {
                request["appId"] = id;
            }

            var answer = await CallAsync(s, "uninstall", request, ct);
            if (s.Json)
            {
                s.WriteJson(answer);
                return ExitCodes.Success;
            }

            foreach (var result in Cells.Objects(answer["results"]))
            {
                s.WriteLine($"uninstalled {result["packageName"]} {result["packageVersion"]} ({result["appId"]})");
                if (result["postUninstallNotes"]?.ToString() is { Length: > 0 } notes)
                {
                    s.WriteLine(notes);
                }
            }

            return ExitCodes.Success;
        });

        var listName = new Argument<string?>("package-name") { Description = "Only this package", Arity = ArgumentArity.ZeroOrOne };
        var list = new Command("list", "Installed packages, from Marathon's labels") { listName };
        cli.Handle(list, async (p, s, ct) =>
        {
            var request = new JsonObject();
            if (p.GetValue(listName) is { } name)
            {
                request["packageName"] = name;
            }

            var answer = await CallAsync(s, "list", request, ct);
            if (s.Json)
            {
                s.WriteJson(answer["packages"]);
                return ExitCodes.Success;
            }

            s.WriteTable(["NAME", "VERSION", "APP", "SOURCE", "OPTIONS"], Cells.Objects(answer["packages"]).Select(x => (IReadOnlyList<string>)
            [
                Cells.Text(x["packageName"]), Cells.Text(x["packageVersion"]), Cells.Text(x["appId"]), Cells.Text(x["packageSource"]), Cells.Cut(x["options"]?.ToJsonString(), 60),
            ]));
            return ExitCodes.Success;
        });

        var updateApp = new Argument<string>("app-id") { Description = "The installed app (see `dcos package list`)" };
        var updateVersion = PackageVersion();
        var updateOptions = new Option<string?>("--options") { Description = "A JSON file of options over the ones it was installed with" };
        var replace = new Option<bool>("--replace") { Description = "Start from the release's defaults instead of the installed options" };
        var updateDeploy = new DeployOptions();
        var update = updateDeploy.AddTo(new Command("update", "Move an installed package to another version (as its releases allow) or to new options") { updateApp, updateVersion, updateOptions, replace }, force: false);
        cli.Handle(update, async (p, s, ct) =>
        {
            var request = new JsonObject { ["appId"] = p.GetValue(updateApp), ["replace"] = p.GetValue(replace) };
            if (p.GetValue(updateVersion) is { } version)
            {
                request["packageVersion"] = version;
            }

            if (p.GetValue(updateOptions) is { } file)
            {
                request["options"] = await InputFile.ReadObjectAsync(file, Console.In, ct);
            }

            var answer = await s.SendAsync(HttpMethod.Post, "cosmos/service/update", request, ct);
            if (!s.Json)
            {
                s.WriteLine($"updating {p.GetValue(updateApp)} to {answer["package"]?["name"]} {answer["package"]?["version"]}");
            }

            return await updateDeploy.FollowAsync(p, s, answer, ct, p.GetValue(updateApp));
        });

        package.Subcommands.Add(search);
        package.Subcommands.Add(describe);
        package.Subcommands.Add(install);
        package.Subcommands.Add(uninstall);
        package.Subcommands.Add(list);
        package.Subcommands.Add(update);
        package.Subcommands.Add(RepoCommand(cli));
        return package;
    }

    private static Command RepoCommand(DcosCli cli)
    {
        var repo = new Command("repo", "Package repositories, in priority order");
        var list = new Command("list", "The repositories");
        cli.Handle(list, async (p, s, ct) => Repositories(s, await CallAsync(s, "repository/list", new JsonObject(), ct)));

        var name = new Argument<string>("name") { Description = "A name for it" };
        var uri = new Argument<string>("uri") { Description = "http(s):// repository JSON, or file:// a Universe directory" };
        var index = new Option<int?>("--index") { Description = "Its place in the order (0: first; default last)" };
        var add = new Command("add", "Add a repository") { name, uri, index };
        cli.Handle(add, async (p, s, ct) =>
        {
            var request = new JsonObject { ["name"] = p.GetValue(name), ["uri"] = p.GetValue(uri) };
            if (p.GetValue(index) is { } at)
            {
                request["index"] = at;
            }

            return Repositories(s, await CallAsync(s, "repository/add", request, ct));
        });

        var removeName = new Argument<string>("name") { Description = "The repository's name" };
        var remove = new Command("remove", "Remove a repository") { removeName };
        cli.Handle(remove, async (p, s, ct) => Repositories(s, await CallAsync(s, "repository/delete", new JsonObject { ["name"] = p.GetValue(removeName) }, ct)));

        repo.Subcommands.Add(add);
        repo.Subcommands.Add(list);
        repo.Subcommands.Add(remove);
        return repo;
    }

    private static int Repositories(CliSession s, JsonNode answer)
    {
        if (s.Json)
        {
            s.WriteJson(answer["repositories"]);
        }
        else
        {
            s.WriteTable(["NAME", "URI"], Cells.Objects(answer["repositories"]).Select(r => (IReadOnlyList<string>)[Cells.Text(r["name"]), Cells.Text(r["uri"])]));
        }

        return ExitCodes.Success;
    }

    private static Option<string?> PackageVersion() => new("--package-version") { Description = "A version (default: the newest)" };

    private static JsonObject Named(string name, string? version)
    {
        var request = new JsonObject { ["packageName"] = name };
        if (version is not null)
        {
            request["packageVersion"] = version;
        }

        return request;
    }

    private static Task<JsonNode> CallAsync(CliSession s, string call, JsonObject request, CancellationToken ct) =>
        s.SendAsync(HttpMethod.Post, "package/" + call, request, ct);

    private static void ReportRepositoryErrors(CliSession s, JsonNode answer)
    {
        foreach (var problem in (answer["repositoryErrors"] as JsonArray ?? []).Select(p => p?.ToString()))
        {
            s.Error.WriteLine("dcos: warning: " + problem);
        }
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;

namespace OrleansDcos.Cli.Commands;

/// <summary><c>dcos cluster setup|list|attach|remove</c>: the clusters this CLI knows, kept in its config file.</summary>
public static class ClusterCommands
{
    /// <summary>The <c>cluster</c> command.</summary>
    public static Command Build(DcosCli cli)
    {
        var cluster = new Command("cluster", "Set up, list and attach to clusters");

        var url = new Argument<string>("url") { Description = "A silo's URL, e.g. http://127.0.0.1:8080" };
        var name = new Option<string?>("--name") { Description = "The name to keep it under (default: the cluster's name from /master/state)" };
        var setup = new Command("setup", "Add a cluster by a silo's URL and attach to it") { url, name };
        cli.Handle(setup, async (p, s, ct) =>
        {
            var address = ClusterUrl.Parse(p.GetValue(url)!);
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(15) };
            JsonNode info;
            JsonNode state;
            try
            {
                using var probe = await http.GetAsync("v2/info", ct);
                if (probe.StatusCode == System.Net.HttpStatusCode.Unauthorized)
                {
                    // Login is on: keep the cluster, the name it is given or its address, and say how to log in.
                    var secured = ClusterConfig.Load(s.ConfigDirectory);
                    var securedName = p.GetValue(name) ?? address.Authority;
                    secured.Clusters.RemoveAll(c => c.Name == securedName);
                    secured.Clusters.Add(new ClusterEntry(securedName, address.ToString()));
                    secured.Attached = securedName;
                    secured.Save(s.ConfigDirectory);
                    s.WriteLine($"attached to cluster '{securedName}' at {address}; it requires login: run `dcos auth login --username <user> --password-env <VARIABLE>`");
                    return ExitCodes.Success;
                }

                probe.EnsureSuccessStatusCode();
                info = JsonNode.Parse(await probe.Content.ReadAsStringAsync(ct)) ?? new JsonObject();
                state = JsonNode.Parse(await http.GetStringAsync("master/state", ct)) ?? new JsonObject();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                throw new CliException(ErrorText.Unreachable(address, ex));
            }
            catch (System.Text.Json.JsonException)
            {
                throw new CliException($"{address} does not answer /v2/info as a silo does: is it an OrleansDcos silo?");
            }

            var config = ClusterConfig.Load(s.ConfigDirectory);
            var chosen = p.GetValue(name) ?? state["cluster"]?.ToString() ?? address.Authority;
            config.Clusters.RemoveAll(c => c.Name == chosen);
            config.Clusters.Add(new ClusterEntry(chosen, address.ToString()));
            config.Attached = chosen;
            config.Save(s.ConfigDirectory);
            if (s.Json)
            {
                s.WriteJson(new JsonObject { ["name"] = chosen, ["url"] = address.ToString(), ["version"] = info["version"]?.DeepClone() });
            }
            else
            {
                s.WriteLine($"attached to cluster '{chosen}' at {address} (version {info["version"]})");
            }

            return ExitCodes.Success;
        });

        var list = new Command("list", "The clusters this CLI knows; * marks the attached one");
        cli.Handle(list, (p, s, ct) =>
        {
            var config = ClusterConfig.Load(s.ConfigDirectory);
            if (s.Json)
            {
                s.WriteJson(new JsonArray([.. config.Clusters.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["url"] = c.Url, ["attached"] = c.Name == config.Attached })]));
            }
            else if (config.Clusters.Count == 0)
            {
                s.WriteLine("no clusters: add one with `dcos cluster setup <url>`");
            }
            else
            {
                s.WriteTable(["NAME", "URL"], config.Clusters.Select(c => (IReadOnlyList<string>)[(c.Name == config.Attached ? "* " : "  ") + c.Name, c.Url]));
            }

            return Task.FromResult(ExitCodes.Success);
        });

        var clusterName = new Argument<string>("name") { Description = "The cluster's name (see `dcos cluster list`)" };
        var attach = new Command("attach", "Attach to a known cluster") { clusterName };
        cli.Handle(attach, (p, s, ct) =>
        {
            var config = ClusterConfig.Load(s.ConfigDirectory);
            var chosen = p.GetValue(clusterName)!;
            if (config.Clusters.All(c => c.Name != chosen))
            {
                throw new CliException($"no cluster named '{chosen}': see `dcos cluster list`, or add it with `dcos cluster setup <url> --name {chosen}`");
            }

            config.Attached = chosen;
            config.Save(s.ConfigDirectory);
            s.WriteLine($"attached to cluster '{chosen}'");
            return Task.FromResult(ExitCodes.Success);
        });

        var removeName = new Argument<string>("name") { Description = "The cluster's name" };
        var remove = new Command("remove", "Forget a cluster") { removeName };
        cli.Handle(remove, (p, s, ct) =>
        {
            var config = ClusterConfig.Load(s.ConfigDirectory);
            var chosen = p.GetValue(removeName)!;
            if (config.Clusters.RemoveAll(c => c.Name == chosen) == 0)
            {
                throw new CliException($"no cluster named '{chosen}': see `dcos cluster list`");
            }

            if (config.Attached == chosen)
            {
                config.Attached = null;
            }

            config.Save(s.ConfigDirectory);
            s.WriteLine($"removed cluster '{chosen}'");
            return Task.FromResult(ExitCodes.Success);
        });

        cluster.Subcommands.Add(setup);
        cluster.Subcommands.Add(list);
        cluster.Subcommands.Add(attach);
        cluster.Subcommands.Add(remove);
        return cluster;
    }
}

using OrleansDcos.NodeDaemon.Containerizers.Docker;

namespace OrleansDcos.Tests.Support;

/// <summary>
/// Removes what a node daemon killed by a test left behind, by its agent id: its Docker containers (labelled
/// <c>orleansdcos.agent</c>; they outlive the daemon by design, and one still running holds its host port for every
/// later test), its parent cgroup (<c>orleansdcos-&lt;agent id&gt;</c>) and any container cgroups under it, after
/// SIGKILLing their processes.
/// </summary>
public static class AgentLeftovers
{
    /// <summary>Cleans up after the daemon whose work directory is <paramref name="workDirectory"/>.</summary>
    public static async Task RemoveAsync(string workDirectory, string root = "/sys/fs/cgroup")
    {
        var idFile = Path.Combine(workDirectory, "agent_id");
        if (!File.Exists(idFile))
        {
            return;
        }

        var agentId = File.ReadAllText(idFile).Trim();
        await RemoveContainersAsync(agentId);
        if (!Directory.Exists(root))
        {
            return;
        }

        var parentName = OrleansDcos.NodeDaemon.Agent.AgentDaemon.CgroupParentOf(agentId);
        foreach (var parent in Directory.GetDirectories(root).Select(c => Path.Combine(c, parentName)).Append(Path.Combine(root, parentName)).Where(Directory.Exists).ToArray())
        {
            foreach (var container in Directory.GetDirectories(parent))
            {
                RemoveCgroup(container);
            }

            RemoveCgroup(parent);
        }
    }

    private static async Task RemoveContainersAsync(string agentId)
    {
        if (!File.Exists(DockerEngineClient.DefaultSocketPath))
        {
            return;
        }

        using var docker = new DockerEngineClient();
        try
        {
            foreach (var id in await docker.ListContainersByLabelAsync(DockerContainerizer.AgentLabel, agentId))
            {
                await docker.RemoveContainerAsync(id, force: true);
            }
        }
        catch (Exception ex) when (ex is DockerEngineException or HttpRequestException or IOException)
        {
            // No engine to ask (or it went away): nothing of ours can be running in it.
        }
    }

    private static void RemoveCgroup(string directory)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Directory.Exists(directory))
        {
            var procs = Path.Combine(directory, "cgroup.procs");
            foreach (var line in File.Exists(procs) ? File.ReadAllLines(procs) : [])
            {
                if (int.TryParse(line, out var pid))
                {
                    try
                    {
                        System.Diagnostics.Process.GetProcessById(pid).Kill();
                    }
                    catch (ArgumentException)
                    {
                        // Gone already.
                    }
                }
            }

            try
            {
                Directory.Delete(directory);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20); // the kernel lets go of killed processes shortly; there is no event for it
            }
            catch (IOException)
            {
                return;
            }
        }
    }
}

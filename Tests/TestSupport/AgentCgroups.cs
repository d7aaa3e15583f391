namespace OrleansDcos.Tests.Support;

/// <summary>
/// Removes what a node daemon killed by a test left in the cgroup hierarchy: its parent cgroup
/// (<c>orleansdcos-&lt;agent id&gt;</c>) and any container cgroups under it, after SIGKILLing their processes.
/// </summary>
public static class AgentCgroups
{
    /// <summary>Cleans up after the daemon whose work directory is <paramref name="workDirectory"/>.</summary>
    public static void Remove(string workDirectory, string root = "/sys/fs/cgroup")
    {
        var idFile = Path.Combine(workDirectory, "agent_id");
        if (!File.Exists(idFile) || !Directory.Exists(root))
        {
            return;
        }

        var parentName = OrleansDcos.NodeDaemon.Agent.AgentDaemon.CgroupParentOf(File.ReadAllText(idFile).Trim());
        foreach (var parent in Directory.GetDirectories(root).Select(c => Path.Combine(c, parentName)).Append(Path.Combine(root, parentName)).Where(Directory.Exists).ToArray())
        {
            foreach (var container in Directory.GetDirectories(parent))
            {
                RemoveCgroup(container);
            }

            RemoveCgroup(parent);
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

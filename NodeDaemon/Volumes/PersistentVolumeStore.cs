using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.NodeDaemon.Volumes;

/// <summary>
/// The agent's persistent volumes on disk, as Mesos keeps them: <c>&lt;work_dir&gt;/volumes/roles/&lt;role&gt;/&lt;id&gt;</c>,
/// outside every sandbox, so they outlive tasks, sandbox collection and daemon restarts. The master's list of the
/// agent's volumes is the truth: missing directories are made, those of destroyed volumes deleted — never one a live
/// task uses. A task sees its volume at <c>&lt;sandbox&gt;/&lt;container_path&gt;</c>: a symbolic link for a process
/// (Mesos' posix filesystem isolation does the same), a bind mount for a Docker container.
/// </summary>
public sealed class PersistentVolumeStore(string workDirectory)
{
    private readonly string _root = Path.Combine(Path.GetFullPath(workDirectory), "volumes", "roles");
    private readonly Lock _lock = new();

    /// <summary>The directory of <paramref name="volume"/> on the host.</summary>
    public string PathOf(Resource volume) => Path.Combine(_root, volume.Role, volume.Volume!.Id);

    /// <summary>
    /// Makes the directories of <paramref name="checkpointed"/>'s volumes that are missing and deletes those of volumes
    /// no longer there, except ones <paramref name="inUse"/> (role, id) names. Returns the ids deleted.
    /// </summary>
    public IReadOnlyList<string> Sync(Resources checkpointed, IReadOnlySet<(string Role, string Id)> inUse)
    {
        lock (_lock)
        {
            var wanted = checkpointed.Volumes.Select(v => (v.Role, v.Volume!.Id)).ToHashSet();
            foreach (var volume in checkpointed.Volumes)
            {
                Directory.CreateDirectory(PathOf(volume));
            }

            var deleted = new List<string>();
            if (!Directory.Exists(_root))
            {
                return deleted;
            }

            foreach (var roleDirectory in Directory.EnumerateDirectories(_root))
            {
                var role = Path.GetFileName(roleDirectory);
                foreach (var directory in Directory.EnumerateDirectories(roleDirectory))
                {
                    var key = (role, Path.GetFileName(directory));
                    if (!wanted.Contains(key) && !inUse.Contains(key))
                    {
                        Directory.Delete(directory, recursive: true);
                        deleted.Add($"{role}/{key.Item2}");
                    }
                }
            }

            return deleted;
        }
    }

    /// <summary>
    /// Where a Docker host volume's <paramref name="hostPath"/> is on the host: an absolute path as it is; a relative
    /// one names a persistent volume of the task by its container path (Marathon's way to mount a volume at an absolute
    /// path in a container), else a path in the sandbox, as Mesos reads relative host paths.
    /// </summary>
    /// <exception cref="IOException">A relative path leaves the sandbox.</exception>
    public string HostPathOf(string hostPath, Resources resources, string sandbox)
    {
        if (Path.IsPathRooted(hostPath))
        {
            return hostPath;
        }

        if (resources.Volumes.FirstOrDefault(v => v.Volume!.ContainerPath == hostPath) is { } volume)
        {
            return PathOf(volume);
        }

        if (hostPath.Split('/').Any(part => part == ".."))
        {
            throw new IOException($"host path '{hostPath}' leaves the sandbox");
        }

        return Path.Combine(sandbox, hostPath);
    }

    /// <summary>
    /// Makes the volumes of <paramref name="resources"/> visible to a task (made when missing): the mounts to make in
    /// its container or over directories of its sandbox, or links made now (<see cref="MountMode.Link"/>).
    /// </summary>
    /// <exception cref="IOException">Something else is at a container path.</exception>
    public IReadOnlyList<VolumeMount> Attach(Resources resources, string sandbox, MountMode mode)
    {
        var mounts = new List<VolumeMount>();
        foreach (var volume in resources.Volumes)
        {
            var host = PathOf(volume);
            lock (_lock)
            {
                Directory.CreateDirectory(host);
            }

            if (SandboxLinks.Mount(sandbox, volume.Volume!.ContainerPath, host, volume.Volume.ReadOnly, mode, $"volume '{volume.Volume.Id}'") is { } mount)
            {
                mounts.Add(mount);
            }
        }

        return mounts;
    }
}

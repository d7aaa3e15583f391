using OrleansDcos.AgentLink;

namespace OrleansDcos.NodeDaemon.Volumes;

/// <summary>
/// How a process task sees a directory that is not in its sandbox: a symbolic link at a relative path of the sandbox
/// (Mesos' posix filesystem isolation; a Docker task gets a bind mount instead). Its group's shared directories
/// (<c>SANDBOX_PATH</c> volumes of type PARENT) and host paths are seen this way.
/// </summary>
public static class SandboxLinks
{
    /// <summary>
    /// Links <paramref name="sandbox"/>/<paramref name="containerPath"/> to <paramref name="target"/> (kept when it is
    /// already that link).
    /// </summary>
    /// <exception cref="IOException">Something else is at the path, or the path is absolute or leaves the sandbox.</exception>
    public static void Link(string sandbox, string containerPath, string target, string what)
    {
        if (Path.IsPathRooted(containerPath) || containerPath.Split('/').Contains(".."))
        {
            throw new IOException($"{what} cannot be mounted at '{containerPath}': a process task sees volumes at relative paths of its sandbox");
        }

        var link = Path.Combine(sandbox, containerPath);
        if (new FileInfo(link).LinkTarget is { } existing)
        {
            if (existing == target)
            {
                return;
            }

            File.Delete(link);
        }
        else if (Path.Exists(link))
        {
            throw new IOException($"the sandbox already holds '{containerPath}': {what} cannot be mounted there");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        Directory.CreateSymbolicLink(link, target);
    }

    /// <summary>
    /// Makes <paramref name="volumes"/> visible to a task: PARENT paths in <paramref name="groupDirectory"/> (made when
    /// missing), SELF paths in its <paramref name="sandbox"/>, HOST paths as they are. Returns the mounts to make: in a
    /// Docker container (relative container paths under <c>/mnt/mesos/sandbox</c>), or over a directory of the sandbox
    /// made for them (<see cref="MountMode.Bind"/>); with <see cref="MountMode.Link"/> it links them and returns none.
    /// </summary>
    /// <exception cref="IOException">A volume cannot be mounted where it asks (see <see cref="Link"/>).</exception>
    public static IReadOnlyList<VolumeMount> Attach(IReadOnlyList<SandboxVolumeSpec> volumes, string sandbox, string groupDirectory, MountMode mode)
    {
        var mounts = new List<VolumeMount>();
        foreach (var volume in volumes)
        {
            var source = volume.Type switch
            {
                SandboxVolumeSpec.Parent => Path.Combine(groupDirectory, volume.Path),
                SandboxVolumeSpec.Self => Path.Combine(sandbox, volume.Path),
                _ => volume.Path,
            };
            if (volume.Type != SandboxVolumeSpec.Host)
            {
                Directory.CreateDirectory(source);
            }

            if (Mount(sandbox, volume.ContainerPath, source, volume.Mode == "RO", mode, $"{volume.Type} volume '{volume.Path}'") is { } mount)
            {
                mounts.Add(mount);
            }
        }

        return mounts;
    }

    /// <summary>
    /// <paramref name="source"/> seen at <paramref name="containerPath"/>: a Docker bind, or a bind mount over a
    /// directory made in the sandbox, or (<see cref="MountMode.Link"/>) a link made now and no mount.
    /// </summary>
    /// <exception cref="IOException">The path is absolute or leaves the sandbox (a process task), or something else is there.</exception>
    public static VolumeMount? Mount(string sandbox, string containerPath, string source, bool readOnly, MountMode mode, string what)
    {
        if (mode == MountMode.Docker)
        {
            return new VolumeMount(source, containerPath.StartsWith('/') ? containerPath : $"/mnt/mesos/sandbox/{containerPath}", readOnly);
        }

        if (mode == MountMode.Link)
        {
            Link(sandbox, containerPath, source, what);
            return null;
        }

        if (Path.IsPathRooted(containerPath) || containerPath.Split('/').Contains(".."))
        {
            throw new IOException($"{what} cannot be mounted at '{containerPath}': a process task sees volumes at relative paths of its sandbox");
        }

        var target = Path.Combine(sandbox, containerPath);
        if (new FileInfo(target).LinkTarget is not null)
        {
            File.Delete(target); // a link of an earlier daemon
        }
        else if (File.Exists(target))
        {
            throw new IOException($"the sandbox already holds a file at '{containerPath}': {what} cannot be mounted there");
        }

        Directory.CreateDirectory(target);
        return new VolumeMount(source, target, readOnly);
    }
}

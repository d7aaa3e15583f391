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
    /// missing), SELF paths in its <paramref name="sandbox"/>, HOST paths as they are; linked for a process, returned as
    /// Docker binds (<c>source:/container/path:rw|ro</c>, relative container paths under <c>/mnt/mesos/sandbox</c>) for a container.
    /// </summary>
    /// <exception cref="IOException">A volume cannot be mounted where it asks (see <see cref="Link"/>).</exception>
    public static IReadOnlyList<string> Attach(IReadOnlyList<SandboxVolumeSpec> volumes, string sandbox, string groupDirectory, bool docker)
    {
        var binds = new List<string>();
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

            if (docker)
            {
                var inside = volume.ContainerPath.StartsWith('/') ? volume.ContainerPath : $"/mnt/mesos/sandbox/{volume.ContainerPath}";
                binds.Add($"{source}:{inside}:{(volume.Mode == "RO" ? "ro" : "rw")}");
            }
            else
            {
                Link(sandbox, volume.ContainerPath, source, $"{volume.Type} volume '{volume.Path}'");
            }
        }

        return binds;
    }
}

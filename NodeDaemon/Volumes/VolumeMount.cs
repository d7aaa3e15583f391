namespace OrleansDcos.NodeDaemon.Volumes;

/// <summary>
/// A directory a task sees: <see cref="Source"/> on the host at <see cref="Target"/> — inside a Docker container (its
/// absolute path there), or inside a process task's sandbox (an absolute host path under the sandbox, bind-mounted in
/// the task's own mount namespace).
/// </summary>
public sealed record VolumeMount(string Source, string Target, bool ReadOnly)
{
    /// <summary>The Docker bind of this mount (<c>source:target:rw|ro</c>).</summary>
    public string DockerBind => $"{Source}:{Target}:{(ReadOnly ? "ro" : "rw")}";
}

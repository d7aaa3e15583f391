namespace OrleansDcos.NodeDaemon.Isolation;

/// <summary>One container's cgroup (a directory per controller on v1, one directory on v2).</summary>
public interface ICgroup
{
    /// <summary>Its name under the daemon's parent cgroup.</summary>
    string Name { get; }

    /// <summary>The <c>cgroup.procs</c> files a process writes <c>0</c> into to join it.</summary>
    IReadOnlyList<string> ProcsFiles { get; }

    /// <summary>The processes in it now.</summary>
    IReadOnlyList<int> Processes();

    /// <summary>Its counters.</summary>
    CgroupStats ReadStats();

    /// <summary>Removes it (it must be empty; retried briefly while the kernel lets go of exited processes).</summary>
    void Destroy();
}

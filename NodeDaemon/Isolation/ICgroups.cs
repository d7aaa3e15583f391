namespace OrleansDcos.NodeDaemon.Isolation;

/// <summary>Creates and finds container cgroups under one parent (<c>orleansdcos</c> by default).</summary>
public interface ICgroups
{
    /// <summary>"v1" or "v2".</summary>
    string Version { get; }

    /// <summary>Creates (or reuses) the cgroup <paramref name="name"/> with <paramref name="limits"/>.</summary>
    ICgroup Create(string name, CgroupLimits limits);

    /// <summary>The existing cgroup <paramref name="name"/>, or null.</summary>
    ICgroup? Open(string name);

    /// <summary>The names of every container cgroup under the parent (to find orphans).</summary>
    IReadOnlyList<string> List();

    /// <summary>Removes the parent cgroup when no container is left in it (a daemon that stops with nothing running).</summary>
    void RemoveParentIfEmpty();
}

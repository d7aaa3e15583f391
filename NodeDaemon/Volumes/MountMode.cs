namespace OrleansDcos.NodeDaemon.Volumes;

/// <summary>How a task sees a directory outside its sandbox.</summary>
public enum MountMode
{
    /// <summary>A Docker container: a bind of the engine.</summary>
    Docker,

    /// <summary>A process task in its own mount namespace: a bind mount (read-only when asked) over a directory of its sandbox.</summary>
    Bind,

    /// <summary>A process task where mount namespaces are not available (the daemon is not root): a symbolic link in its sandbox.</summary>
    Link,
}

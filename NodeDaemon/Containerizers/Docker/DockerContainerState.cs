namespace OrleansDcos.NodeDaemon.Containerizers.Docker;

/// <summary>What the engine says of a container: its id and its status (<c>created</c>, <c>running</c>, <c>exited</c>, …).</summary>
/// <param name="Id">The container's id.</param>
/// <param name="Status">The engine's status word.</param>
public sealed record DockerContainerState(string Id, string Status)
{
    /// <summary>Created and never started: nothing of the task ran in it.</summary>
    public bool NeverStarted => Status == "created";
}

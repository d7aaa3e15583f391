namespace OrleansDcos.NodeDaemon.Containerizers.Process;

/// <summary>What the daemon records to find a container again after it restarts (pids with start times: pids are reused).</summary>
public sealed record ContainerCheckpoint(string ContainerId, string Sandbox, int ShimPid, long ShimStartTime, int TaskPid, long TaskStartTime, bool Cgroup);

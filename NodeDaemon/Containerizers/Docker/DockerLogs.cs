namespace OrleansDcos.NodeDaemon.Containerizers.Docker;

/// <summary>A container's output, split into its two streams.</summary>
public sealed record DockerLogs(string Stdout, string Stderr);

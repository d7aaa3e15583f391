using OrleansDcos.NodeDaemon.Isolation;

namespace OrleansDcos.NodeDaemon.Metrics;

/// <summary>What one live task's cgroup measured, with its limits.</summary>
public sealed record TaskUsage(string AgentId, string FrameworkId, string TaskId, CgroupStats Stats, double Cpus, double MemoryBytes);

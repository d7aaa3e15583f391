namespace OrleansDcos.NodeDaemon.Isolation;

/// <summary>The limits a container's cgroup enforces.</summary>
/// <param name="Cpus">CPU share: a CFS quota of <c>Cpus × period</c> and a weight proportional to it.</param>
/// <param name="MemoryBytes">Hard memory limit (swap included where the kernel accounts it); over it the kernel OOM-kills.</param>
/// <param name="MaxPids">Most processes and threads at once, or null for no limit.</param>
public sealed record CgroupLimits(double Cpus, long MemoryBytes, int? MaxPids = null);

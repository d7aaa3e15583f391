namespace OrleansDcos.NodeDaemon.Isolation;

/// <summary>What a container's cgroup has measured.</summary>
/// <param name="CpuUsage">CPU time used by every process in it.</param>
/// <param name="ThrottledPeriods">CFS periods in which it hit its quota.</param>
/// <param name="ThrottledTime">Time it spent throttled.</param>
/// <param name="MemoryBytes">Memory in use now.</param>
/// <param name="OomKills">Processes the kernel killed for exceeding the memory limit.</param>
public sealed record CgroupStats(TimeSpan CpuUsage, long ThrottledPeriods, TimeSpan ThrottledTime, long MemoryBytes, long OomKills);

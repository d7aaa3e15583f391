namespace OrleansDcos.Scheduling.Discovery;

/// <summary>A running task as discovery sees it.</summary>
/// <param name="TaskId">The task id (hashed into its canonical name).</param>
/// <param name="Name">The Mesos task name (Marathon's: the app id's parts reversed, joined by dots).</param>
/// <param name="Framework">The framework's name.</param>
/// <param name="AgentId">The agent it runs on.</param>
/// <param name="AgentIp">The agent's IPv4 address.</param>
/// <param name="Ports">Its host ports.</param>
/// <param name="TaskIp">The task's own address when it has one (a container network); else the agent's serves.</param>
public sealed record DiscoveryTask(
    string TaskId,
    string Name,
    string Framework,
    string AgentId,
    string AgentIp,
    IReadOnlyList<DiscoveryPort> Ports,
    string? TaskIp = null);

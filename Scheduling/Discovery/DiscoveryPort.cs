namespace OrleansDcos.Scheduling.Discovery;

/// <summary>A task's host port as discovery publishes it.</summary>
/// <param name="Number">The port on the agent.</param>
/// <param name="Name">Its name (a Marathon port definition's), when it has one.</param>
/// <param name="Protocol">Its protocols as the port definition gives them (<c>tcp</c>, <c>udp</c> or <c>udp,tcp</c>); null for both.</param>
public sealed record DiscoveryPort(int Number, string? Name = null, string? Protocol = null);

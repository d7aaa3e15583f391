namespace OrleansDcos.Scheduling.Placement;

/// <summary>One task placed: the agent and exactly the resources taken there (with roles and host ports).</summary>
public sealed record Assignment(string AgentId, Resources.Resources Resources);

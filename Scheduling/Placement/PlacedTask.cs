namespace OrleansDcos.Scheduling.Placement;

/// <summary>A task a group already runs (or is launching) on an agent: it counts for the group's constraints.</summary>
public sealed record PlacedTask(string GroupId, AgentDescriptor Agent);

namespace OrleansDcos.Scheduling.Placement;

/// <summary>One agent in a round of offers: who it is and what its offers hold together.</summary>
public sealed record OfferedAgent(AgentDescriptor Agent, Resources.Resources Available);

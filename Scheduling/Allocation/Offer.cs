using OrleansDcos.Scheduling.Placement;

namespace OrleansDcos.Scheduling.Allocation;

/// <summary>Resources of one agent offered to one framework for one of its roles.</summary>
public sealed record Offer(string OfferId, string FrameworkId, string Role, AgentDescriptor Agent, Resources.Resources Resources, DateTimeOffset CreatedAt)
{
    /// <summary>The agent's id.</summary>
    public string AgentId => Agent.AgentId;
}

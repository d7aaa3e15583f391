namespace OrleansDcos.Grains.Master;

/// <summary>Facts about an agent's standing, for the grain and every view of it.</summary>
public static class AgentStatuses
{
    /// <summary>Registered with the master (listed as its agents): active, deactivated, draining or drained.</summary>
    public static bool IsRegistered(this AgentStatus status) =>
        status is AgentStatus.Active or AgentStatus.Draining or AgentStatus.Maintenance or AgentStatus.Deactivated;

    /// <summary>Taken out of the offers by an operator (deactivated, draining or drained) until reactivated.</summary>
    public static bool IsDeactivated(this AgentStatus status) =>
        status is AgentStatus.Draining or AgentStatus.Maintenance or AgentStatus.Deactivated;
}

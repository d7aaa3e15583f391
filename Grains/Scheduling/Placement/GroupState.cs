namespace OrleansDcos.Grains.Scheduling.Placement;

/// <summary>What the engine knows of one group (app): where its tasks are, per-field counts, and its scan cursor.</summary>
internal sealed class GroupState(int cursor)
{
    /// <summary>Where the next scan starts.</summary>
    public int Cursor { get; set; } = cursor;

    /// <summary>Tasks per agent id (with the agent, so distributions of new fields can be rebuilt).</summary>
    public Dictionary<string, (AgentDescriptor Agent, int Tasks)> PlacedOn { get; } = new(StringComparer.Ordinal);

    /// <summary>Task counts per value, for each field a constraint has looked at.</summary>
    public Dictionary<string, ValueDistribution> Distributions { get; } = new(StringComparer.Ordinal);

    public void Add(AgentDescriptor agent)
    {
        var tasks = PlacedOn.TryGetValue(agent.AgentId, out var entry) ? entry.Tasks : 0;
        PlacedOn[agent.AgentId] = (agent, tasks + 1);
    }

    /// <summary>Forgets one task on <paramref name="agentId"/>; returns the agent, or null when none was counted there.</summary>
    public AgentDescriptor? Remove(string agentId)
    {
        if (!PlacedOn.TryGetValue(agentId, out var entry))
        {
            return null;
        }

        if (entry.Tasks == 1)
        {
            PlacedOn.Remove(agentId);
        }
        else
        {
            PlacedOn[agentId] = (entry.Agent, entry.Tasks - 1);
        }

        return entry.Agent;
    }
}

namespace OrleansDcos.Scheduling.Allocation;

/// <summary>A framework: its roles (one client each) and its offer filters by agent and role (as Mesos keeps them per role).</summary>
internal sealed class FrameworkState(string id)
{
    public string Id { get; } = id;

    public Dictionary<string, ClientState> Clients { get; } = new(StringComparer.Ordinal);

    /// <summary>It declared GPU_RESOURCES: only such frameworks are offered agents that have GPUs.</summary>
    public bool GpuAware { get; set; }

    /// <summary>(Agent id, role) → until when the framework refused the agent's resources offered for that role.</summary>
    public Dictionary<(string Agent, string Role), DateTimeOffset> Filters { get; } = [];

    public bool IsFiltered(string agentId, string role, DateTimeOffset now)
    {
        if (Filters.Count == 0 || !Filters.TryGetValue((agentId, role), out var until))
        {
            return false;
        }

        if (until > now)
        {
            return true;
        }

        Filters.Remove((agentId, role));
        return false;
    }
}

namespace OrleansDcos.Scheduling.Allocation;

/// <summary>A framework: its roles (one client each) and its offer filters by agent.</summary>
internal sealed class FrameworkState(string id)
{
    public string Id { get; } = id;

    public Dictionary<string, ClientState> Clients { get; } = new(StringComparer.Ordinal);

    /// <summary>Agent id → until when the framework refused the agent's resources.</summary>
    public Dictionary<string, DateTimeOffset> Filters { get; } = new(StringComparer.Ordinal);

    public bool IsFiltered(string agentId, DateTimeOffset now)
    {
        if (Filters.Count == 0 || !Filters.TryGetValue(agentId, out var until))
        {
            return false;
        }

        if (until > now)
        {
            return true;
        }

        Filters.Remove(agentId);
        return false;
    }
}

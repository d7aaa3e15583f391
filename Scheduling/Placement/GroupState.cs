namespace OrleansDcos.Scheduling.Placement;

/// <summary>
/// What the engine knows of one group (app): where its tasks are, per-field counts, and its scan
/// index — the agents still worth visiting ("live") in a circular order with a cursor. An agent is
/// dropped from the live set when it fails a check that only a release can undo (no resources left,
/// UNIQUE or MAX_PER already used, a value constraint), and comes back when a task on it ends.
/// </summary>
internal sealed class GroupState
{
    private int[] _live = [];
    private int[] _positionOf = [];

    /// <summary>Tasks per agent id (with the agent, so distributions of new fields can be rebuilt).</summary>
    public Dictionary<string, (AgentDescriptor Agent, int Tasks)> PlacedOn { get; } = new(StringComparer.Ordinal);

    /// <summary>Task counts per value, for each field a constraint has looked at.</summary>
    public Dictionary<string, ValueDistribution> Distributions { get; } = new(StringComparer.Ordinal);

    /// <summary>The same distributions with their fields, for the per-placement update without lookups.</summary>
    public List<(FieldValues Field, ValueDistribution Distribution)> Tracked { get; } = [];

    /// <summary>The request the live set was built for; another request (new demand or constraints) rebuilds it.</summary>
    public string? Signature { get; private set; }

    public int LiveCount { get; private set; }

    /// <summary>Where the next scan starts, as a position in the live set.</summary>
    public int Cursor { get; set; }

    public int LiveAt(int position) => _live[position];

    /// <summary>Makes every slot live again for a new request signature; the cursor starts at a random place.</summary>
    public void ResetLive(string signature, int slots, Random random)
    {
        Signature = signature;
        if (_live.Length != slots)
        {
            _live = new int[slots];
            _positionOf = new int[slots];
        }

        for (var i = 0; i < slots; i++)
        {
            _live[i] = i;
            _positionOf[i] = i;
        }

        LiveCount = slots;
        Cursor = slots == 0 ? 0 : random.Next(slots);
    }

    /// <summary>Drops the slot at <paramref name="position"/> from the live set (the last live slot takes its place).</summary>
    public void DropAt(int position)
    {
        var last = --LiveCount;
        var slot = _live[position];
        var moved = _live[last];
        _live[position] = moved;
        _positionOf[moved] = position;
        _live[last] = slot;
        _positionOf[slot] = last;
    }

    /// <summary>Makes every slot live again (a task of this group ended: counts-based verdicts may change anywhere).</summary>
    public void RestoreAll() => LiveCount = _live.Length;

    /// <summary>Makes <paramref name="slot"/> live again (after a release on it).</summary>
    public void Restore(int slot)
    {
        if (slot >= _positionOf.Length || _positionOf[slot] < LiveCount)
        {
            return;
        }

        var position = _positionOf[slot];
        var first = _live[LiveCount];
        _live[position] = first;
        _positionOf[first] = position;
        _live[LiveCount] = slot;
        _positionOf[slot] = LiveCount;
        LiveCount++;
    }

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

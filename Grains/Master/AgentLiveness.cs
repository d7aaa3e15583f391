using System.Collections.Concurrent;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// When each agent link on this silo was last heard, written by the link's reader as each message arrives — not
/// through a grain call that could queue behind other work — and read by the agent's grain (which lives on the silo
/// of its link) when it judges silence, so a busy silo does not take its own backlog for the agents' silence. It
/// also knows the agents that run inside this process (the embedded node daemon): those live exactly as long as
/// the silo, so they are never unreachable to it.
/// </summary>
public sealed class AgentLiveness(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, long> _heard = new();
    private readonly ConcurrentDictionary<string, bool> _inProcess = new(StringComparer.Ordinal);

    /// <summary>A liveness registry on the system clock.</summary>
    public AgentLiveness()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Milliseconds on this registry's monotonic clock (the grain measures silence on the same clock).</summary>
    public long NowMs() => (long)time.GetElapsedTime(0).TotalMilliseconds;

    /// <summary>The link <paramref name="linkId"/> just delivered a message.</summary>
    public void Heard(Guid linkId) => _heard[linkId] = NowMs();

    /// <summary>When <paramref name="linkId"/> was last heard on this silo (its clock), or null when not here.</summary>
    public long? LastHeard(Guid linkId) => _heard.TryGetValue(linkId, out var at) ? at : null;

    /// <summary>The link ended.</summary>
    public void Forget(Guid linkId) => _heard.TryRemove(linkId, out _);

    /// <summary>Declares <paramref name="agentId"/> a node daemon inside this process.</summary>
    public void MarkInProcess(string agentId) => _inProcess[agentId] = true;

    /// <summary>True when <paramref name="agentId"/> runs inside this process.</summary>
    public bool IsInProcess(string agentId) => _inProcess.ContainsKey(agentId);
}

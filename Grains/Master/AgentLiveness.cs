using System.Collections.Concurrent;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// The agent links this silo holds and when each was last heard, written by the link's reader as each message
/// arrives — not through a grain call that could queue behind other work. The silo judges its own links' silence
/// from it (<see cref="Sweep"/>, one pass for every link instead of a timer per agent grain), so a busy silo does not
/// take its own backlog for the agents' silence. It also knows the agents that run inside this process (the embedded
/// node daemon): those live exactly as long as the silo, so they are never unreachable to it.
/// </summary>
public sealed class AgentLiveness(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, LinkClock> _links = new();
    private readonly ConcurrentDictionary<string, bool> _inProcess = new(StringComparer.Ordinal);
    private long _lastSweepMs;

    /// <summary>A liveness registry on the system clock.</summary>
    public AgentLiveness()
        : this(TimeProvider.System)
    {
    }

    /// <summary>How often silence is judged against <paramref name="bound"/>: a quarter of it, between 10 ms and 1 s.</summary>
    public static TimeSpan CheckInterval(TimeSpan bound) => TimeSpan.FromMilliseconds(Math.Clamp(bound.TotalMilliseconds / 4, 10, 1000));

    /// <summary>
    /// How much of the time since the last check, made <paramref name="lastMs"/> and due every <paramref name="every"/>,
    /// was the checker's own stall (a long GC, an overloaded scheduler) rather than the agents' silence: the lateness
    /// beyond one interval when the check came later than twice the interval and half a second, else 0.
    /// </summary>
    public static long StallMs(long lastMs, long nowMs, TimeSpan every)
    {
        var interval = (long)every.TotalMilliseconds;
        return lastMs > 0 && nowMs - lastMs > 2 * interval + 500 ? nowMs - lastMs - interval : 0;
    }

    /// <summary>Milliseconds on this registry's monotonic clock (the agent grain measures silence on the same clock).</summary>
    public long NowMs() => (long)time.GetElapsedTime(0).TotalMilliseconds;

    /// <summary>
    /// Link <paramref name="linkId"/> of <paramref name="agentId"/> opened on this silo and is registering: it is here,
    /// but its silence counts only once <see cref="Registered"/> (a registration may wait behind thousands of others).
    /// </summary>
    public void Linked(Guid linkId, string agentId) => _links[linkId] = new LinkClock(agentId, NowMs());

    /// <summary>The agent grain took the registration on <paramref name="linkId"/>: heard now, and silence counts from here.</summary>
    public void Registered(Guid linkId)
    {
        if (_links.TryGetValue(linkId, out var clock))
        {
            Volatile.Write(ref clock.HeardMs, NowMs());
            clock.Judged = true;
        }
    }

    /// <summary>The link <paramref name="linkId"/> just delivered a message.</summary>
    public void Heard(Guid linkId)
    {
        if (_links.TryGetValue(linkId, out var clock))
        {
            Volatile.Write(ref clock.HeardMs, NowMs());
        }
    }

    /// <summary>When <paramref name="linkId"/> was last heard on this silo (its clock), or null when the link is not here.</summary>
    public long? LastHeard(Guid linkId) => _links.TryGetValue(linkId, out var clock) ? Volatile.Read(ref clock.HeardMs) : null;

    /// <summary>The link ended.</summary>
    public void Forget(Guid linkId) => _links.TryRemove(linkId, out _);

    /// <summary>Declares <paramref name="agentId"/> a node daemon inside this process.</summary>
    public void MarkInProcess(string agentId) => _inProcess[agentId] = true;

    /// <summary>True when <paramref name="agentId"/> runs inside this process.</summary>
    public bool IsInProcess(string agentId) => _inProcess.ContainsKey(agentId);

    /// <summary>
    /// The links on this silo silent for <paramref name="bound"/> or longer, each named once (its agent's grain is told,
    /// and the link goes when the grain drops it). Called every <paramref name="every"/>: a sweep that comes much later
    /// than that means the silo itself stalled (a long GC, an overloaded scheduler), and the stall does not count
    /// against the agents — what looks like their silence may be the silo's.
    /// </summary>
    public IReadOnlyList<(Guid LinkId, string AgentId)> Sweep(TimeSpan bound, TimeSpan every)
    {
        var now = NowMs();
        var stall = StallMs(_lastSweepMs, now, every);
        _lastSweepMs = now;
        var silent = new List<(Guid, string)>();
        foreach (var (linkId, clock) in _links)
        {
            if (stall > 0)
            {
                Interlocked.Add(ref clock.HeardMs, stall);
            }

            if (clock.Judged && !clock.Reported && now - Volatile.Read(ref clock.HeardMs) >= (long)bound.TotalMilliseconds && !IsInProcess(clock.AgentId))
            {
                clock.Reported = true;
                silent.Add((linkId, clock.AgentId));
            }
        }

        return silent;
    }

    private sealed class LinkClock(string agentId, long heardMs)
    {
        public long HeardMs = heardMs;

        public string AgentId { get; } = agentId;

        public volatile bool Judged;

        public bool Reported { get; set; }
    }
}

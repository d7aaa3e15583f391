using OrleansDcos.AgentLink;

namespace OrleansDcos.Grains.Master;

/// <summary>What an agent keeps across failovers: who it is and its standing; its tasks come back with the daemon.</summary>
public sealed class AgentGrainState
{
    /// <summary>The daemon's last registration, or null before the first.</summary>
    public AgentInfo? Info { get; set; }

    /// <summary>Its dynamic reservations and persistent volumes (laid over what the daemon reports).</summary>
    public OrleansDcos.Scheduling.Resources.Resources Checkpointed { get; set; } = OrleansDcos.Scheduling.Resources.Resources.Empty;

    /// <summary>Its standing.</summary>
    public AgentStatus Status { get; set; }

    // Times are named apart from the unix-seconds numbers earlier versions saved (registeredAt, unreachableSince,
    // drainGraceSeconds), so such state still reads: those numbers are ignored, not misread.

    /// <summary>When it first registered.</summary>
    public DateTimeOffset RegisteredTime { get; set; }

    /// <summary>Since when it is unreachable.</summary>
    public DateTimeOffset? UnreachableTime { get; set; }

    /// <summary>The kill grace of a drain in progress.</summary>
    public TimeSpan? DrainGrace { get; set; }

    /// <summary>The drain in progress ends with the agent gone (DRAIN_AGENT's <c>mark_gone</c>).</summary>
    public bool DrainMarkGone { get; set; }
}

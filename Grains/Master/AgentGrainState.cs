using OrleansDcos.AgentLink;

namespace OrleansDcos.Grains.Master;

/// <summary>What an agent keeps across failovers: who it is and its standing; its tasks come back with the daemon.</summary>
public sealed class AgentGrainState
{
    /// <summary>The daemon's last registration, or null before the first.</summary>
    public AgentInfo? Info { get; set; }

    /// <summary>Its standing.</summary>
    public AgentStatus Status { get; set; }

    /// <summary>Unix seconds of the first registration.</summary>
    public double RegisteredAt { get; set; }

    /// <summary>Unix seconds since it is unreachable.</summary>
    public double? UnreachableSince { get; set; }

    /// <summary>The kill grace of a drain in progress.</summary>
    public double? DrainGraceSeconds { get; set; }
}

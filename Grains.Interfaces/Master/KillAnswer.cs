namespace OrleansDcos.Grains.Master;

/// <summary>What an agent's grain makes of a kill.</summary>
public enum KillAnswer
{
    /// <summary>Sent to the daemon (or it will be once the daemon, still transitioning, re-registers its tasks).</summary>
    Sent,

    /// <summary>The agent knows it does not run the task: the caller reports it unknown.</summary>
    Unknown,

    /// <summary>The agent is unreachable and its tasks cannot be told apart now: the caller reports the task unreachable.</summary>
    Unreachable,
}

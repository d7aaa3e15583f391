namespace OrleansDcos.Grains.Master;

/// <summary>What a framework keeps across failovers: its info, when it registered, and since when it is away.</summary>
public sealed class FrameworkGrainState
{
    /// <summary>The subscribed info (with its id), or null before the first subscription.</summary>
    public FrameworkInfo? Info { get; set; }

    /// <summary>Unix seconds of the first subscription.</summary>
    public double RegisteredAt { get; set; }

    /// <summary>Unix seconds since it is disconnected (the failover timeout runs from here), or null while connected.</summary>
    public double? DisconnectedAt { get; set; }

    /// <summary>True once torn down: final.</summary>
    public bool Removed { get; set; }
}

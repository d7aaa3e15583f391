namespace OrleansDcos.Grains.Master;

/// <summary>What a framework keeps across failovers: its info, when it registered, and since when it is away.</summary>
public sealed class FrameworkGrainState
{
    /// <summary>The subscribed info (with its id), or null before the first subscription.</summary>
    public FrameworkInfo? Info { get; set; }

    // Named apart from the unix-seconds numbers earlier versions saved (registeredAt, disconnectedAt): those are ignored.

    /// <summary>When it first subscribed.</summary>
    public DateTimeOffset RegisteredTime { get; set; }

    /// <summary>Since when it is disconnected (the failover timeout runs from here), or null while connected.</summary>
    public DateTimeOffset? DisconnectedTime { get; set; }

    /// <summary>True once torn down: final.</summary>
    public bool Removed { get; set; }
}

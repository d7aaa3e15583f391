using OrleansDcos.Scheduling.Attributes;

namespace OrleansDcos.Scheduling.Placement;

/// <summary>What constraints can see of an agent: id, hostname, fault domain and attributes.</summary>
public sealed record AgentDescriptor(string AgentId, string Hostname, AgentAttributes Attributes)
{
    /// <summary>The fault-domain region (<c>@region</c>), when known.</summary>
    public string? Region { get; init; }

    /// <summary>The fault-domain zone (<c>@zone</c>), when known.</summary>
    public string? Zone { get; init; }

    /// <summary>True when the agent has GPUs (whether or not they are free now).</summary>
    public bool HasGpus { get; init; }
}

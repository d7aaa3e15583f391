namespace OrleansDcos.Grains.Master;

/// <summary>What the allocator keeps across failovers: only what operators set.</summary>
public sealed class AllocatorGrainState
{
    /// <summary>Role weights.</summary>
    public Dictionary<string, double> Weights { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Role quotas.</summary>
    public Dictionary<string, RoleQuotaInfo> Quotas { get; set; } = new(StringComparer.Ordinal);
}

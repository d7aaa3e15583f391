using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>The audit grain's saved state.</summary>
[GenerateSerializer]
[Alias("dcos.AuditState")]
public sealed class AuditState
{
    /// <summary>The entries kept, oldest first.</summary>
    [Id(0)]
    public List<AuditRecord> Entries { get; set; } = [];

    /// <summary>The last sequence number given out.</summary>
    [Id(1)]
    public long LastSequence { get; set; }

    /// <summary>Entries dropped so far to stay bounded.</summary>
    [Id(2)]
    public long Dropped { get; set; }
}

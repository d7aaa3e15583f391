using Orleans;

namespace OrleansDcos.Grains.Security;

/// <summary>One state-changing call as the audit grain keeps it: its sequence number, who, when, what and how it ended, and whom it was about (a login's uid).</summary>
[GenerateSerializer]
[Alias("dcos.AuditRecord")]
public sealed record AuditRecord(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Principal,
    [property: Id(3)] string Method,
    [property: Id(4)] string Path,
    [property: Id(5)] int Status,
    [property: Id(6)] string? Subject);

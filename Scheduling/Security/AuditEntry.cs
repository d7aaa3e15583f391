namespace OrleansDcos.Scheduling.Security;

/// <summary>One state-changing call: who, what (method and path), when, and how it ended (the status code).</summary>
public sealed record AuditEntry(DateTimeOffset At, string Principal, string Method, string Path, int Status, string? Detail = null);

namespace OrleansDcos.Grains.Security;

/// <summary>Settings of the audit trail (section <c>Security:Audit</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Security:Audit";

    /// <summary>The most entries kept (the oldest go first). Default 5,000.</summary>
    public int Capacity { get; set; } = 5_000;

    /// <summary>What is wrong with the settings.</summary>
    public IReadOnlyList<string> Problems() =>
        Capacity is < 1 or > 1_000_000 ? [$"Security:Audit:Capacity '{Capacity}' is invalid: use 1 to 1000000"] : [];
}

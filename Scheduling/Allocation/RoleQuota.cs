namespace OrleansDcos.Scheduling.Allocation;

/// <summary>
/// A role's quota over scalar resources: <see cref="Guarantee"/> is allocated to it before any
/// fair sharing; <see cref="Limit"/> caps what it can hold (empty = no limit).
/// </summary>
public sealed record RoleQuota(Resources.Resources Guarantee, Resources.Resources Limit)
{
    /// <summary>No quota.</summary>
    public static readonly RoleQuota None = new(Resources.Resources.Empty, Resources.Resources.Empty);
}

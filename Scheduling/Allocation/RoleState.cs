namespace OrleansDcos.Scheduling.Allocation;

/// <summary>A role: its weight, quota, frameworks, and what it holds across the cluster.</summary>
internal sealed class RoleState(string name)
{
    public string Name { get; } = name;

    public double Weight { get; set; } = 1.0;

    public RoleQuota Quota { get; set; } = RoleQuota.None;

    public long[] GuaranteeVector { get; set; } = new long[ScalarVector.Length];

    /// <summary>Per resource, the limit in thousandths, or long.MaxValue when unlimited.</summary>
    public long[] LimitVector { get; set; } = Unlimited();

    public List<ClientState> Clients { get; } = [];

    public long[] Allocated { get; } = new long[ScalarVector.Length];

    /// <summary>The unreserved part of <see cref="Allocated"/>.</summary>
    public long[] AllocatedUnreserved { get; } = new long[ScalarVector.Length];

    /// <summary>Reserved for the role on the agents (statically or dynamically), allocated or not.</summary>
    public long[] Reserved { get; } = new long[ScalarVector.Length];

    /// <summary>
    /// What counts against the role's quota (Mesos' quota consumption): its reservations, allocated or not, plus the
    /// unreserved resources allocated to it.
    /// </summary>
    public long Consumed(int i) => AllocatedUnreserved[i] + Reserved[i];

    /// <summary>Weighted dominant share: dominant share / weight.</summary>
    public double Share { get; set; }

    /// <summary>True when some part of the guarantee is not yet allocated.</summary>
    public bool GuaranteeUnmet()
    {
        for (var i = 0; i < ScalarVector.Length; i++)
        {
            if (Consumed(i) < GuaranteeVector[i])
            {
                return true;
            }
        }

        return false;
    }

    public static long[] Unlimited() => [long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue];
}

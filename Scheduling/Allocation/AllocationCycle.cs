using OrleansDcos.Scheduling.Resources;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Scheduling.Allocation;

/// <summary>
/// One allocation cycle over shuffled agents. Stage 1 gives roles with an unmet quota guarantee
/// what they are guaranteed; stage 2 shares the rest by weighted DRF while holding back the
/// headroom unmet guarantees still need, within each role's quota limit. Each agent's free
/// resources go to the lowest-share role, and within it to the lowest-share framework that has
/// not suppressed offers or filtered the agent.
/// </summary>
internal sealed class AllocationCycle(Allocator allocator, RoleState[] roles, IEnumerable<RoleState> allRoles, DateTimeOffset now, List<Offer> offers)
{
    private readonly int[] _tried = new int[roles.Length];
    private int _stamp;

    public void SatisfyGuarantees(AgentState[] agents)
    {
        if (!roles.Any(r => r.GuaranteeUnmet()))
        {
            return;
        }

        var caps = new long[ScalarVector.Length];
        foreach (var agent in agents)
        {
            _stamp++;
            while (!agent.Free.IsEmpty && PickRole(r => r.GuaranteeUnmet()) is { } role)
            {
                for (var i = 0; i < caps.Length; i++)
                {
                    var named = role.Quota.Guarantee.Any(r => r.Name == ScalarVector.Names[i]);
                    var byGuarantee = named ? role.GuaranteeVector[i] - role.Consumed(i) : long.MaxValue;
                    caps[i] = Math.Min(byGuarantee, Headroom(role.LimitVector[i], role.Consumed(i)));
                }

                TryOffer(agent, role, caps);
            }
        }
    }

    public void ShareFairly(AgentState[] agents)
    {
        // What unmet guarantees still need, and what free unreserved resources exist to cover it.
        var required = new long[ScalarVector.Length];
        foreach (var role in allRoles)
        {
            for (var i = 0; i < required.Length; i++)
            {
                required[i] += Math.Max(0, role.GuaranteeVector[i] - role.Consumed(i));
            }
        }

        var available = new long[ScalarVector.Length];
        foreach (var agent in agents)
        {
            for (var i = 0; i < available.Length; i++)
            {
                available[i] += agent.Free.ScalarOf(ScalarVector.Names[i]).Millis;
            }
        }

        var holdBack = required.Any(r => r > 0);
        var caps = new long[ScalarVector.Length];
        var ownUnmet = new long[ScalarVector.Length];

        // Roles by (weighted share, index): an offer changes only the share of the role it went to,
        // so a heap finds each agent's role in O(log roles) instead of a scan of every role.
        var queue = new PriorityQueue<int, (double Share, int Index)>(roles.Length);
        for (var i = 0; i < roles.Length; i++)
        {
            queue.Enqueue(i, (roles[i].Share, i));
        }

        var passedOver = new List<int>();
        foreach (var agent in agents)
        {
            while (!agent.Free.IsEmpty && queue.TryDequeue(out var index, out _))
            {
                var role = roles[index];
                for (var i = 0; i < caps.Length; i++)
                {
                    ownUnmet[i] = Math.Max(0, role.GuaranteeVector[i] - role.Consumed(i));
                    var byHeadroom = holdBack ? Math.Max(0, available[i] - (required[i] - ownUnmet[i])) : long.MaxValue;
                    caps[i] = Math.Min(byHeadroom, Headroom(role.LimitVector[i], role.Consumed(i)));
                }

                if (TryOffer(agent, role, caps) is { } offer)
                {
                    queue.Enqueue(index, (role.Share, index));
                    if (holdBack)
                    {
                        for (var i = 0; i < caps.Length; i++)
                        {
                            var unreserved = offer.Resources.ScalarOf(ScalarVector.Names[i]).Millis;
                            available[i] -= unreserved;
                            required[i] -= Math.Min(unreserved, ownUnmet[i]);
                        }
                    }
                }
                else
                {
                    // Not usable by this role here (nothing it may take, or every framework filtered the agent).
                    passedOver.Add(index);
                }
            }

            foreach (var index in passedOver)
            {
                queue.Enqueue(index, (roles[index].Share, index));
            }

            passedOver.Clear();
        }
    }

    /// <summary>Offers the agent's resources usable by <paramref name="role"/>, unreserved scalars capped, to the role's lowest-share eligible framework.</summary>
    private Offer? TryOffer(AgentState agent, RoleState role, long[] caps)
    {
        var offerable = Cap(agent.Free.AllocatableTo(role.Name), caps);
        if (!Allocatable(offerable) || PickClient(role, agent) is not { } client)
        {
            return null;
        }

        var offer = allocator.MakeOffer(client, agent, offerable, now);
        offers.Add(offer);
        return offer;
    }

    /// <summary>The lowest weighted-share role not yet tried for this agent that passes <paramref name="eligible"/>.</summary>
    private RoleState? PickRole(Func<RoleState, bool> eligible)
    {
        var best = -1;
        for (var i = 0; i < roles.Length; i++)
        {
            if (_tried[i] != _stamp && (best < 0 || roles[i].Share < roles[best].Share) && eligible(roles[i]))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            return null;
        }

        _tried[best] = _stamp;
        return roles[best];
    }

    private ClientState? PickClient(RoleState role, AgentState agent)
    {
        ClientState? best = null;
        foreach (var client in role.Clients)
        {
            if (!client.Suppressed && (best is null || client.Share < best.Share) && !client.Framework.IsFiltered(agent.Id, role.Name, now)
                && (client.Framework.GpuAware || !agent.HasGpus))
            {
                best = client;
            }
        }

        return best;
    }

    private bool Allocatable(Res offerable) =>
        offerable.ScalarTotal(Res.Cpus).ToDouble() >= allocator.Options.MinAllocatableCpus
        || offerable.ScalarTotal(Res.Mem).ToDouble() >= allocator.Options.MinAllocatableMem;

    private static long Headroom(long limit, long allocated) => limit == long.MaxValue ? long.MaxValue : Math.Max(0, limit - allocated);

    /// <summary>Cuts the unreserved amount of each standard scalar down to its cap.</summary>
    private static Res Cap(Res offerable, long[] caps)
    {
        for (var i = 0; i < caps.Length; i++)
        {
            if (caps[i] == long.MaxValue)
            {
                continue;
            }

            var amount = offerable.ScalarOf(ScalarVector.Names[i]).Millis;
            if (amount > caps[i])
            {
                offerable = offerable.Minus(Res.From([Resource.OfScalar(ScalarVector.Names[i], new Scalar(amount - Math.Max(0, caps[i])))]));
            }
        }

        return offerable;
    }
}

using OrleansDcos.Grains.Scheduling.Resources;
using Res = OrleansDcos.Grains.Scheduling.Resources.Resources;

namespace OrleansDcos.Grains.Scheduling.Placement;

/// <summary>
/// Judges one agent for one task: constraints first (Nomad's order: feasibility, then fit), then
/// resources. Returns the constant reason of the first check that fails, or null when the agent fits.
/// </summary>
internal sealed class CandidateChecker
{
    private readonly TaskRequest _request;
    private readonly PreparedConstraint[] _constraints;
    private readonly bool _simpleDemand;
    private readonly IReadOnlyList<string> _roles;

    public CandidateChecker(TaskRequest request, PreparedConstraint[] constraints)
    {
        _request = request;
        _constraints = constraints;
        _roles = PlacementEngine.RolePreference(request);
        StandardDemand = new long[AgentSlot.StandardScalars.Length];
        for (var i = 0; i < StandardDemand.Length; i++)
        {
            StandardDemand[i] = request.Demand.ScalarTotal(AgentSlot.StandardScalars[i]).Millis;
        }

        _simpleDemand = request.AcceptedRoles.All(r => r == Resource.AnyRole)
            && request.Demand.All(r => Array.IndexOf(AgentSlot.StandardScalars, r.Name) >= 0);
    }

    /// <summary>The demand of cpus, mem, disk, gpus in thousandths.</summary>
    public long[] StandardDemand { get; }

    public string? Reject(AgentSlot slot)
    {
        foreach (var constraint in _constraints)
        {
            if (!constraint.Accepts(constraint.ValueIdOf(slot)))
            {
                return constraint.Constraint.Reason;
            }
        }

        return _simpleDemand && slot.Simple ? RejectFast(slot) : RejectGeneral(slot.Free);
    }

    private string? RejectFast(AgentSlot slot)
    {
        var free = slot.FreeStandard;
        for (var i = 0; i < free.Length; i++)
        {
            if (free[i] < StandardDemand[i])
            {
                return RejectReasons.Insufficient(AgentSlot.StandardScalars[i]);
            }
        }

        if ((ulong)_request.PortCount + (ulong)_request.RequiredPorts.Count > slot.FreeUnreservedPorts)
        {
            return RejectReasons.InsufficientPorts;
        }

        return RequiredPortsMissing(slot.Free) ? RejectReasons.RequiredPortsUnavailable : null;
    }

    private string? RejectGeneral(Res free)
    {
        foreach (var demand in _request.Demand)
        {
            var available = Scalar.Zero;
            foreach (var role in _roles)
            {
                available += free.ScalarOf(demand.Name, role);
            }

            if (available < demand.Scalar)
            {
                return RejectReasons.Insufficient(demand.Name);
            }
        }

        if (_request.PortCount > 0 || _request.RequiredPorts.Count > 0)
        {
            ulong ports = 0;
            foreach (var role in _roles)
            {
                ports += free.RangesOf(Res.Ports, role).Count;
            }

            if ((ulong)_request.PortCount + (ulong)_request.RequiredPorts.Count > ports)
            {
                return RejectReasons.InsufficientPorts;
            }
        }

        return RequiredPortsMissing(free) ? RejectReasons.RequiredPortsUnavailable : null;
    }

    private bool RequiredPortsMissing(Res free)
    {
        foreach (var port in _request.RequiredPorts)
        {
            if (!_roles.Any(role => free.RangesOf(Res.Ports, role).Contains(port)))
            {
                return true;
            }
        }

        return false;
    }
}

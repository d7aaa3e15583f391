using OrleansDcos.Scheduling.Resources;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Scheduling.Placement;

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
    private readonly ValueRanges _requiredPorts;

    public CandidateChecker(TaskRequest request, PreparedConstraint[] constraints)
    {
        _request = request;
        _constraints = constraints;
        _roles = PlacementEngine.RolePreference(request);
        _requiredPorts = ValueRanges.OfValues(request.RequiredPorts);
        StandardDemand = new long[AgentSlot.StandardScalars.Length];
        for (var i = 0; i < StandardDemand.Length; i++)
        {
            StandardDemand[i] = request.Demand.ScalarTotal(AgentSlot.StandardScalars[i]).Millis;
        }

        _simpleDemand = request.AcceptedRoles.All(r => r == Resource.AnyRole)
            && request.Demand.All(r => Array.IndexOf(AgentSlot.StandardScalars, r.Name) >= 0);
    }

    /// <summary>Roles in the order their resources are taken: reserved accepted roles, then <c>*</c>.</summary>
    public IReadOnlyList<string> Roles => _roles;

    /// <summary>The request's required host ports.</summary>
    public ValueRanges RequiredPorts => _requiredPorts;

    /// <summary>The demand of cpus, mem, disk, gpus in thousandths.</summary>
    public long[] StandardDemand { get; }

    /// <summary>
    /// The reason <paramref name="slot"/> cannot take the task, or null. <paramref name="lasting"/> tells
    /// whether only a release on the agent can change the answer (everything except GROUP_BY, whose
    /// verdict moves as other values fill up).
    /// </summary>
    public string? Reject(AgentSlot slot, out bool lasting)
    {
        lasting = true;
        foreach (var constraint in _constraints)
        {
            if (!constraint.Accepts(constraint.ValueIdOf(slot)))
            {
                lasting = constraint.Constraint.Operator != Constraints.ConstraintOperator.GroupBy;
                return constraint.Constraint.Reason;
            }
        }

        if (_request.AvoidGpuAgents && (slot.Agent.HasGpus || slot.Free.ScalarTotal(Res.Gpus) > Scalar.Zero))
        {
            return RejectReasons.DeclinedScarceResources;
        }

        return _simpleDemand && slot.Simple ? RejectFast(slot) : RejectGeneral(slot.Free);
    }

    /// <summary>What makes two requests of a group judge agents alike: demand, ports, roles and constraints.</summary>
    public static string Signature(TaskRequest request) =>
        $"{request.Demand}|{request.PortCount}|{string.Join(',', request.RequiredPorts)}|{string.Join(',', request.AcceptedRoles)}|{string.Join(';', request.Constraints)}|{request.AvoidGpuAgents}";

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

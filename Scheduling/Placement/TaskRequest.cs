using OrleansDcos.Scheduling.Constraints;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Scheduling.Placement;

/// <summary>
/// What one task needs: scalar resources, a number of any host ports or specific host ports,
/// constraints, and the roles whose resources it may use. Tasks of one <see cref="GroupId"/>
/// (an app) are counted together by the constraints.
/// </summary>
public sealed record TaskRequest
{
    /// <summary>Builds a request; <paramref name="demand"/> must hold only scalar resources.</summary>
    public TaskRequest(string groupId, Resources.Resources demand)
    {
        if (demand.Any(r => r.Kind != ResourceKind.Scalar))
        {
            throw new ArgumentException($"a task demand holds only scalar resources (ask for ports with PortCount or RequiredPorts): {demand}", nameof(demand));
        }

        GroupId = groupId;
        Demand = demand;
    }

    /// <summary>The app (or framework-defined group) the task belongs to.</summary>
    public string GroupId { get; }

    /// <summary>Scalar resources per task (roles in it are ignored; <see cref="AcceptedRoles"/> decides).</summary>
    public Resources.Resources Demand { get; }

    /// <summary>How many host ports to pick from the agent's <c>ports</c>.</summary>
    public int PortCount { get; init; }

    /// <summary>Specific host ports the task needs (Marathon's requirePorts).</summary>
    public IReadOnlyList<ulong> RequiredPorts { get; init; } = [];

    /// <summary>Constraints, all of which must hold.</summary>
    public IReadOnlyList<Constraint> Constraints { get; init; } = [];

    /// <summary>
    /// Keep off agents that have GPUs, used or free (for a task that uses none: GPU machines stay for GPU work, as
    /// Marathon's restricted GPU scheduling intends; Marathon itself looks only at the GPUs an offer holds).
    /// </summary>
    public bool AvoidGpuAgents { get; init; }

    /// <summary>Roles whose resources the task may use; reserved roles are used before <c>*</c>.</summary>
    public IReadOnlyList<string> AcceptedRoles { get; init; } = [Resource.AnyRole];
}

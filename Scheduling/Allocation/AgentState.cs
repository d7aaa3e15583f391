using OrleansDcos.Scheduling.Placement;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Scheduling.Allocation;

/// <summary>One agent in the allocator: total = free + offered + used, always.</summary>
internal sealed class AgentState(AgentDescriptor descriptor, Res total)
{
    public AgentDescriptor Descriptor { get; } = descriptor;

    public string Id => Descriptor.AgentId;

    /// <summary>Everything the agent has; RESERVE, UNRESERVE, CREATE and DESTROY convert parts of it.</summary>
    public Res Total
    {
        get;
        set
        {
            field = value;
            HasGpus = value.ScalarTotal(Res.Gpus) > Scheduling.Resources.Scalar.Zero;
        }
    } = total;

    /// <summary>Neither offered nor used.</summary>
    public Res Free { get; set; } = total;

    /// <summary>
    /// True when the agent has GPUs: it is offered only to GPU-aware frameworks (Mesos' GPU_RESOURCES). Kept with
    /// <see cref="Total"/>, so each cycle's choice of framework does not sum the agent's resources again.
    /// </summary>
    public bool HasGpus { get; private set; } = total.ScalarTotal(Res.Gpus) > Scheduling.Resources.Scalar.Zero;

    /// <summary>False while draining or in maintenance: nothing of it is offered.</summary>
    public bool Active { get; set; } = true;

    public Dictionary<string, Offer> Offers { get; } = new(StringComparer.Ordinal);

    /// <summary>Used by running tasks, per (framework, role).</summary>
    public Dictionary<(string Framework, string Role), Res> Used { get; } = [];
}

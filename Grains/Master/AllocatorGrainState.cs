using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using Orleans.Streams;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Concurrency;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Allocation;
using OrleansDcos.Scheduling.Attributes;
using OrleansDcos.Scheduling.Placement;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Grains.Master;

/// <summary>What the allocator keeps across failovers: only what operators set.</summary>
public sealed class AllocatorGrainState
{
    /// <summary>Role weights.</summary>
    public Dictionary<string, double> Weights { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Role quotas.</summary>
    public Dictionary<string, RoleQuotaInfo> Quotas { get; set; } = new(StringComparer.Ordinal);
}

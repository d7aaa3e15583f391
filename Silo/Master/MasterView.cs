using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Master;

namespace OrleansDcos.Silo.Master;

/// <summary>One consistent-enough read of the master for the operator endpoints: every agent, framework and the allocator.</summary>
internal sealed record MasterView(
    IReadOnlyList<AgentSnapshot> Agents,
    IReadOnlyList<FrameworkSnapshot> Frameworks,
    AllocatorSnapshot Allocation)
{
    public IEnumerable<(string AgentId, AgentTask Task)> Tasks => Agents.SelectMany(a => a.Tasks.Select(t => (a.Info.AgentId, t)));

    public static async Task<MasterView> ReadAsync(IGrainFactory grains)
    {
        var agentIds = new List<string>();
        foreach (var shard in MasterKeys.AllAgentRegistries)
        {
            agentIds.AddRange((await grains.GetGrain<IRegistryGrain>(shard).List()).Keys);
        }

        var agents = await Task.WhenAll(agentIds.Order(StringComparer.Ordinal).Select(id => grains.GetGrain<IAgentGrain>(id).GetSnapshot()));
        var frameworkIds = (await grains.GetGrain<IRegistryGrain>(MasterKeys.FrameworkRegistry).List()).Keys.Order(StringComparer.Ordinal);
        var frameworks = await Task.WhenAll(frameworkIds.Select(id => grains.GetGrain<IFrameworkGrain>(id).GetSnapshot()));
        var allocation = await grains.GetGrain<IAllocatorGrain>(MasterKeys.Allocator).GetSnapshot();
        return new MasterView(agents, frameworks, allocation);
    }
}

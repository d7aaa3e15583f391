using OrleansDcos.Scheduling.Attributes;
using OrleansDcos.Scheduling.Placement;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Grains.Master;

/// <summary>What the built-in frameworks (Marathon's and Chronos' schedulers) do the same way with the master's events.</summary>
internal static class InClusterFramework
{
    /// <summary>A batch of offers by agent, and each agent as the placement engine sees it (its attributes, fault domain and what its offers hold together).</summary>
    public static (List<IGrouping<string, OfferInfo>> ByAgent, List<OfferedAgent> Agents) AgentsOf(IReadOnlyList<OfferInfo> offers)
    {
        var byAgent = offers.GroupBy(o => o.AgentId, StringComparer.Ordinal).ToList();
        var agents = byAgent.Select(g => new OfferedAgent(
            new AgentDescriptor(g.Key, g.First().Hostname, AgentAttributes.Parse(g.First().Attributes)) { Region = g.First().Region, Zone = g.First().Zone, HasGpus = g.First().AgentHasGpus },
            g.Aggregate(Resources.Empty, (sum, o) => sum.Plus(o.Resources)))).ToList();
        return (byAgent, agents);
    }

    /// <summary>
    /// Hands status updates to their owners — one call per owner (<paramref name="ownerOf"/>; an empty owner is nobody's
    /// and only acknowledged), all in parallel — and acknowledges at the master what was recorded and carries a uuid
    /// and an agent. An owner's failed call leaves its updates unacknowledged: the agent sends them again.
    /// </summary>
    public static async Task RecordAndAcknowledgeAsync(
        IFrameworkGrain framework,
        Guid? stream,
        IReadOnlyList<TaskStatusEvent> updates,
        Func<TaskStatusEvent, string> ownerOf,
        Func<string, IReadOnlyList<TaskStatusEvent>, Task> record,
        Action<Exception, string> notRecorded)
    {
        var recorded = await Task.WhenAll(updates.GroupBy(ownerOf).Select(async group =>
        {
            try
            {
                if (group.Key.Length > 0)
                {
                    await record(group.Key, group.ToList());
                }

                return group.Where(u => u.Status.Uuid != Guid.Empty && u.AgentId.Length > 0).ToList();
            }
            catch (Exception ex)
            {
                notRecorded(ex, group.Key);
                return [];
            }
        }));
        var acks = recorded.SelectMany(r => r).ToList();
        if (acks.Count > 0 && stream is { } subscribed)
        {
            await framework.AcknowledgeAll(subscribed, acks);
        }
    }
}

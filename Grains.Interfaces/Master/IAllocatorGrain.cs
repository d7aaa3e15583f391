using Orleans;
using Orleans.Concurrency;
using OrleansDcos.AgentLink;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// The allocator (key <see cref="MasterKeys.Allocator"/>): the free-resource view of every agent,
/// weighted DRF cycles at an interval and on events, outstanding offers, filters, weights and quota.
/// Only weights and quota are persisted; agents and frameworks report themselves again after a failover.
/// </summary>
[Alias("dcos.IAllocatorGrain")]
public interface IAllocatorGrain : IGrainWithStringKey
{
    /// <summary>Adds (or replaces) an agent with the tasks it runs; offers of a replaced agent are rescinded.</summary>
    Task AddAgent(AgentInfo agent, IReadOnlyList<AgentTask> tasks);

    /// <summary>Forgets an agent (unreachable, gone); rescinds its offers.</summary>
    Task RemoveAgent(string agentId);

    /// <summary>Stops (disconnected, draining) or resumes offering an agent.</summary>
    Task SetAgentActive(string agentId, bool active);

    /// <summary>Adds (or re-adds after failover) a framework with its roles; <paramref name="active"/> false while disconnected.</summary>
    Task AddFramework(string frameworkId, IReadOnlyList<string> roles, bool active, bool suppressed, bool gpuAware = false);

    /// <summary>A subscribed framework disconnected or came back: inactive frameworks get no offers and lose theirs.</summary>
    Task SetFrameworkActive(string frameworkId, bool active);

    /// <summary>Removes a framework (torn down).</summary>
    Task RemoveFramework(string frameworkId);

    /// <summary>
    /// Uses <paramref name="used"/> of the framework's offers <paramref name="offerIds"/>;
    /// the rest returns, filtered for <paramref name="refuse"/>. Null when every offer was valid, else
    /// why not (no offer is then used: the valid ones are declined).
    /// </summary>
    /// <remarks><paramref name="conversions"/> (RESERVE, UNRESERVE, CREATE, DESTROY) are applied first, all or none, to
    /// the offers and the agent's total; <paramref name="used"/> is then taken from the converted offers.</remarks>
    Task<string?> Accept(string frameworkId, IReadOnlyList<string> offerIds, IReadOnlyDictionary<string, Resources> used, TimeSpan? refuse, IReadOnlyList<OfferOperation>? conversions = null);

    /// <summary>
    /// An operator's RESERVE, UNRESERVE, CREATE or DESTROY on an agent's unallocated resources (offers on it are
    /// rescinded when needed); throws <see cref="MasterValidationException"/> with why when they cannot be applied.
    /// </summary>
    Task ConvertUnallocated(string agentId, IReadOnlyList<OfferOperation> conversions);

    /// <summary>Declines offers, filtered for <paramref name="refuse"/> (default 5 s).</summary>
    Task Decline(string frameworkId, IReadOnlyList<string> offerIds, TimeSpan? refuse);

    /// <summary>No more offers for <paramref name="roles"/> (all when null).</summary>
    Task Suppress(string frameworkId, IReadOnlyList<string>? roles);

    /// <summary>Offers again for <paramref name="roles"/> (all when null) and clears filters.</summary>
    Task Revive(string frameworkId, IReadOnlyList<string>? roles);

    /// <summary>A task ended: its resources are free again.</summary>
    Task Recover(string agentId, string frameworkId, string role, Resources resources);

    /// <summary>Sets role weights (persisted).</summary>
    Task SetWeights(IReadOnlyList<RoleWeight> weights);

    /// <summary>The weights set (roles not listed weigh 1).</summary>
    [ReadOnly]
    Task<IReadOnlyList<RoleWeight>> GetWeights();

    /// <summary>Sets a role's quota (scalars; empty guarantee and limit remove it) (persisted).</summary>
    Task SetQuota(RoleQuotaInfo quota);

    /// <summary>The quotas set.</summary>
    [ReadOnly]
    Task<IReadOnlyList<RoleQuotaInfo>> GetQuotas();

    /// <summary>Every agent's total/free/offered/used, the outstanding offers and the roles' shares.</summary>
    [ReadOnly]
    Task<AllocatorSnapshot> GetSnapshot();

    /// <summary>Keeps the allocator active (each silo calls it periodically so a failover rebuilds it at once).</summary>
    Task Ping();
}

using System.Text.Json.Serialization;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using OrleansDcos.Mesos;
using OrleansDcos.AgentLink;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// One agent (key: agent id). Its link to the node daemon is a WebSocket held by some silo: the link
/// calls <see cref="Register"/>, <see cref="Heartbeat"/>, <see cref="StatusUpdates"/>, and fetches what to send with
/// <see cref="PollCommands"/> when its doorbell rings (<see cref="WatchCommands"/>). Frameworks launch, kill and acknowledge through it.
/// Its task table is soft state rebuilt from the daemon's re-registration, as in Mesos.
/// </summary>
[Alias("dcos.IAgentGrain")]
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>Enrolls or re-registers the daemon on link <paramref name="linkId"/> (which replaces any older link).</summary>
    Task<AgentRegistered> Register(AgentRegistration registration, Guid linkId);

    /// <summary>
    /// The daemon is alive; false when <paramref name="linkId"/> is not the agent's link (register again). Interleaves:
    /// a heartbeat must not wait behind a status update that waits for the durable stream, or a busy agent would look silent.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> Heartbeat(Guid linkId);

    /// <summary>
    /// Status updates from the daemon, taken in order: answers a ticket for <see cref="Published"/> at once, or -1 when
    /// <paramref name="linkId"/> is not the agent's link. They reach the durable stream, then their frameworks, after
    /// everything this agent reported before, without holding the agent while the stream writes.
    /// </summary>
    Task<long> StatusUpdates(Guid linkId, IReadOnlyList<TaskStatusUpdate> updates);

    /// <summary>
    /// Waits up to <paramref name="wait"/> for the updates of <paramref name="ticket"/>: true once they are on the durable
    /// stream and forwarded, false while they are not yet, null when they never will be on this link (the write failed,
    /// or the link is not the agent's any more): the daemon must register again and resend.
    /// </summary>
    [AlwaysInterleave]
    Task<bool?> Published(Guid linkId, long ticket, TimeSpan wait);

    /// <summary>The commands after <paramref name="after"/> for the link, at once (the link asks when its doorbell rings).</summary>
    [AlwaysInterleave]
    Task<AgentCommandBatch> PollCommands(Guid linkId, long after);

    /// <summary>
    /// Rings <paramref name="doorbell"/> whenever the link has something to fetch (at once if it has already); false
    /// when <paramref name="linkId"/> is not the agent's link.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> WatchCommands(Guid linkId, IAgentCommandDoorbell doorbell);

    /// <summary>The link's socket closed.</summary>
    Task LinkClosed(Guid linkId);

    /// <summary>
    /// The silo holding link <paramref name="linkId"/> has not heard it for the silence bound: the agent is UNREACHABLE
    /// (nothing happens when the link is no longer the agent's).
    /// </summary>
    Task LinkSilent(Guid linkId);

    /// <summary>The answer to a <see cref="AgentCommandTypes.ReadLog"/> command.</summary>
    [AlwaysInterleave]
    Task LogData(Guid linkId, LogChunk chunk);

    /// <summary>Launches tasks (resources already accepted from an offer); tasks that cannot reach the agent are DROPPED.</summary>
    Task Launch(string frameworkId, IReadOnlyList<TaskSpec> tasks);

    /// <summary>Kills a task; <paramref name="gracePeriodSeconds"/> overrides its kill policy.</summary>
    Task<KillAnswer> Kill(string frameworkId, string taskId, double? gracePeriodSeconds);

    /// <summary>
    /// The framework acknowledged an update: the daemon may stop resending it. Interleaves (it only queues the ack for
    /// the link and forgets an acknowledged terminal task), so frameworks do not wait behind the agent's own stream writes.
    /// </summary>
    [AlwaysInterleave]
    Task Acknowledge(string frameworkId, string taskId, Guid uuid);

    /// <summary>Kills every task of a removed framework.</summary>
    Task ShutdownFramework(string frameworkId);

    /// <summary>
    /// Current states of the framework's tasks here (all of them when <paramref name="taskIds"/> is empty); null while
    /// the agent is transitioning (this activation has not heard the daemon's re-registration yet), when it cannot say.
    /// </summary>
    [ReadOnly]
    Task<IReadOnlyList<AgentTask>?> Tasks(string frameworkId, IReadOnlyList<string> taskIds);

    /// <summary>Stops offering the agent; its tasks are killed with <paramref name="gracePeriodSeconds"/> (maintenance once empty).</summary>
    Task Drain(double? gracePeriodSeconds);

    /// <summary>Offers the agent again after a drain.</summary>
    Task Reactivate();

    /// <summary>Removes the agent for good: its tasks are GONE, it may never register again under this id.</summary>
    Task Remove();

    /// <summary>The allocator restarted: report the agent's resources and usage again.</summary>
    [OneWay]
    Task Resync();

    /// <summary>Reads part of a task's stdout or stderr through the daemon.</summary>
    [AlwaysInterleave]
    Task<LogChunk> ReadLog(string taskId, string file, long offset, int length);

    /// <summary>The master's view of the agent.</summary>
    [ReadOnly]
    Task<AgentSnapshot> GetSnapshot();
}

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
    Task AddFramework(string frameworkId, IReadOnlyList<string> roles, bool active, bool suppressed);

    /// <summary>A subscribed framework disconnected or came back: inactive frameworks get no offers and lose theirs.</summary>
    Task SetFrameworkActive(string frameworkId, bool active);

    /// <summary>Removes a framework (torn down).</summary>
    Task RemoveFramework(string frameworkId);

    /// <summary>
    /// Uses <paramref name="used"/> (Mesos syntax) of the framework's offers <paramref name="offerIds"/>;
    /// the rest returns, filtered for <paramref name="refuseSeconds"/>. Null when every offer was valid, else
    /// why not (no offer is then used: the valid ones are declined).
    /// </summary>
    Task<string?> Accept(string frameworkId, IReadOnlyList<string> offerIds, string used, double? refuseSeconds);

    /// <summary>Declines offers, filtered for <paramref name="refuseSeconds"/> (default 5 s).</summary>
    Task Decline(string frameworkId, IReadOnlyList<string> offerIds, double? refuseSeconds);

    /// <summary>No more offers for <paramref name="roles"/> (all when null).</summary>
    Task Suppress(string frameworkId, IReadOnlyList<string>? roles);

    /// <summary>Offers again for <paramref name="roles"/> (all when null) and clears filters.</summary>
    Task Revive(string frameworkId, IReadOnlyList<string>? roles);

    /// <summary>A task ended: its resources are free again.</summary>
    Task Recover(string agentId, string frameworkId, string role, string resources);

    /// <summary>Sets role weights (persisted).</summary>
    Task SetWeights(IReadOnlyList<RoleWeight> weights);

    /// <summary>The weights set (roles not listed weigh 1).</summary>
    [ReadOnly]
    Task<IReadOnlyList<RoleWeight>> GetWeights();

    /// <summary>Sets a role's quota (scalars, Mesos syntax; empty strings remove it) (persisted).</summary>
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

/// <summary>A role's weight.</summary>
[GenerateSerializer]
[Alias("dcos.RoleWeight")]
public sealed record RoleWeight(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("weight")] double Weight);

/// <summary>A role's quota: guaranteed and limited scalars in Mesos syntax (<c>cpus:4;mem:1024</c>).</summary>
[GenerateSerializer]
[Alias("dcos.RoleQuotaInfo")]
public sealed record RoleQuotaInfo(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("guarantee")] string Guarantee,
    [property: JsonPropertyName("limit")] string Limit);

/// <summary>One agent in the allocator (Mesos syntax).</summary>
[GenerateSerializer]
[Alias("dcos.AgentAllocationInfo")]
public sealed record AgentAllocationInfo(string AgentId, string Total, string Free, string Offered, string Used, bool Active);

/// <summary>The allocator's view.</summary>
[GenerateSerializer]
[Alias("dcos.AllocatorSnapshot")]
public sealed record AllocatorSnapshot(
    IReadOnlyList<AgentAllocationInfo> Agents,
    IReadOnlyList<OfferInfo> Offers,
    IReadOnlyDictionary<string, double> RoleShares,
    IReadOnlyDictionary<string, double> FrameworkShares);

/// <summary>
/// One framework (key: framework id): its subscription and event queue, outstanding offers, the index
/// of its tasks, and the failover timeout while it is disconnected.
/// </summary>
[Alias("dcos.IFrameworkGrain")]
public interface IFrameworkGrain : IGrainWithStringKey
{
    /// <summary>SUBSCRIBE: (re)connects the framework; a new stream replaces the old one.</summary>
    Task<Subscription> Subscribe(FrameworkInfo info);

    /// <summary>The events after <paramref name="after"/> for <paramref name="streamId"/>, waiting up to <paramref name="wait"/>.</summary>
    [AlwaysInterleave]
    Task<FrameworkEventBatch> Poll(Guid streamId, long after, TimeSpan wait);

    /// <summary>The stream's connection closed: the failover timeout starts.</summary>
    Task Disconnected(Guid streamId);

    /// <summary>ACCEPT.</summary>
    Task Accept(Guid streamId, AcceptCall call);

    /// <summary>DECLINE.</summary>
    Task Decline(Guid streamId, IReadOnlyList<string> offerIds, double? refuseSeconds);

    /// <summary>SUPPRESS.</summary>
    Task Suppress(Guid streamId, IReadOnlyList<string>? roles);

    /// <summary>REVIVE.</summary>
    Task Revive(Guid streamId, IReadOnlyList<string>? roles);

    /// <summary>KILL.</summary>
    Task Kill(Guid streamId, string taskId, string? agentId, double? gracePeriodSeconds);

    /// <summary>ACKNOWLEDGE.</summary>
    Task Acknowledge(Guid streamId, string agentId, string taskId, Guid uuid);

    /// <summary>ACKNOWLEDGE of many updates at once (<see cref="TaskStatusEvent.AgentId"/>, task id and uuid of each).</summary>
    Task AcknowledgeAll(Guid streamId, IReadOnlyList<TaskStatusEvent> updates);

    /// <summary>RECONCILE: explicit (the named tasks) or implicit (empty: every task the master knows).</summary>
    Task Reconcile(Guid streamId, IReadOnlyList<ReconcileTask> tasks);

    /// <summary>TEARDOWN by the framework.</summary>
    Task Teardown(Guid streamId);

    /// <summary>Teardown by the operator (<c>/master/teardown</c>).</summary>
    Task Remove();

    /// <summary>New offers from the allocator.</summary>
    [OneWay]
    Task ReceiveOffers(IReadOnlyList<OfferInfo> offers);

    /// <summary>Offers rescinded by the allocator.</summary>
    [OneWay]
    Task Rescind(IReadOnlyList<string> offerIds);

    /// <summary>Status updates of the framework's tasks.</summary>
    [OneWay]
    Task ReceiveUpdates(IReadOnlyList<TaskStatusEvent> updates);

    /// <summary>An agent was lost (FAILURE event).</summary>
    [OneWay]
    Task AgentLost(string agentId);

    /// <summary>The allocator restarted: add the framework again.</summary>
    [OneWay]
    Task Resync();

    /// <summary>The master's view of the framework.</summary>
    [ReadOnly]
    Task<FrameworkSnapshot> GetSnapshot();
}

/// <summary>A durable list of ids (agents in shards, frameworks in one) so a failover can find everything to rebuild.</summary>
[Alias("dcos.IRegistryGrain")]
public interface IRegistryGrain : IGrainWithStringKey
{
    /// <summary>Adds an id (idempotent). Interleaves: concurrent changes share one write.</summary>
    [AlwaysInterleave]
    Task Add(string id);

    /// <summary>Marks an id removed (it stays listed as removed). Interleaves: concurrent changes share one write.</summary>
    [AlwaysInterleave]
    Task MarkRemoved(string id);

    /// <summary>The ids and whether each was removed.</summary>
    [ReadOnly]
    Task<IReadOnlyDictionary<string, bool>> List();
}

/// <summary>Keys of the master's singleton grains and registries.</summary>
public static class MasterKeys
{
    /// <summary>The allocator's key.</summary>
    public const string Allocator = "default";

    /// <summary>Agent registry shards.</summary>
    public const int AgentRegistryShards = 16;

    /// <summary>The registry shard holding <paramref name="agentId"/>.</summary>
    public static string AgentRegistry(string agentId) => $"agents-{(uint)StableHash(agentId) % AgentRegistryShards}";

    /// <summary>Every agent registry shard.</summary>
    public static IEnumerable<string> AllAgentRegistries => Enumerable.Range(0, AgentRegistryShards).Select(i => $"agents-{i}");

    /// <summary>The framework registry.</summary>
    public const string FrameworkRegistry = "frameworks";

    private static int StableHash(string value)
    {
        // FNV-1a: stable across processes (string.GetHashCode is randomized per process).
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}

using Orleans;
using Orleans.Concurrency;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// One framework (key: framework id): its subscription and event queue, outstanding offers, the index
/// of its tasks, and the failover timeout while it is disconnected.
/// </summary>
[Alias("dcos.IFrameworkGrain")]
public interface IFrameworkGrain : IGrainWithStringKey
{
    /// <summary>SUBSCRIBE: (re)connects the framework; a new stream replaces the old one.</summary>
    Task<Subscription> Subscribe(FrameworkInfo info);

    /// <summary>The principal the framework subscribed as (null when none, or not subscribed).</summary>
    [AlwaysInterleave]
    [Alias("GetPrincipal")]
    Task<string?> GetPrincipal();

    /// <summary>The events after <paramref name="after"/> for <paramref name="streamId"/>, waiting up to <paramref name="wait"/>.</summary>
    [AlwaysInterleave]
    Task<FrameworkEventBatch> Poll(Guid streamId, long after, TimeSpan wait);

    /// <summary>The stream's connection closed: the failover timeout starts.</summary>
    Task Disconnected(Guid streamId);

    /// <summary>ACCEPT; null when its offers and conversions were all used, else why not (its launches were dropped).</summary>
    Task<string?> Accept(Guid streamId, AcceptCall call);

    /// <summary>DECLINE.</summary>
    Task Decline(Guid streamId, IReadOnlyList<string> offerIds, TimeSpan? refuse);

    /// <summary>SUPPRESS.</summary>
    Task Suppress(Guid streamId, IReadOnlyList<string>? roles);

    /// <summary>REVIVE.</summary>
    Task Revive(Guid streamId, IReadOnlyList<string>? roles);

    /// <summary>KILL.</summary>
    Task Kill(Guid streamId, string taskId, string? agentId, TimeSpan? gracePeriod);

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

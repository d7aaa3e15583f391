using Orleans;
using Orleans.Concurrency;
using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;

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

    /// <summary>Kills a task; <paramref name="gracePeriod"/> overrides its kill policy.</summary>
    Task<KillAnswer> Kill(string frameworkId, string taskId, TimeSpan? gracePeriod);

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

    /// <summary>
    /// Stops offering the agent; its tasks are killed with <paramref name="gracePeriod"/> (maintenance once empty; with
    /// <paramref name="markGone"/>, gone once empty, as Mesos' DRAIN_AGENT with <c>mark_gone</c>).
    /// </summary>
    Task Drain(TimeSpan? gracePeriod, bool markGone = false);

    /// <summary>Mesos' DEACTIVATE_AGENT: no more offers of it (outstanding ones are rescinded); its tasks keep running. Kept across restarts until reactivated.</summary>
    Task Deactivate();

    /// <summary>Offers the agent again after a drain.</summary>
    Task Reactivate();

    /// <summary>Removes the agent for good: its tasks are GONE, it may never register again under this id.</summary>
    Task Remove();

    /// <summary>
    /// A framework's accepted RESERVE, UNRESERVE, CREATE or DESTROY (already applied by the allocator): kept durably and
    /// sent to the daemon.
    /// </summary>
    Task Convert(IReadOnlyList<OfferOperation> conversions);

    /// <summary>
    /// An operator's RESERVE, UNRESERVE, CREATE or DESTROY (<c>/master/reserve</c>, <c>/master/create-volumes</c>, …) on
    /// the agent's unallocated resources; <see cref="MasterValidationException"/> says why not.
    /// </summary>
    Task Operate(IReadOnlyList<OfferOperation> conversions);

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

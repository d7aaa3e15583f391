using Orleans;
using Orleans.Concurrency;
using OrleansDcos.Grains.Master;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// One app (key: its path id): its definition and versions, its instances (durable task records), and the loop that
/// converges them to the definition — launches through the scheduler, kills, rolling restarts within the upgrade
/// strategy, replacement of failed instances with backoff, kills of unhealthy ones within a rate limit.
/// </summary>
[Alias("dcos.IAppGrain")]
public interface IAppGrain : IGrainWithStringKey
{
    /// <summary>Records the definition a deployment moves to (shown at once; tasks move when the deployment's step runs).</summary>
    Task SetDefinition(AppDefinition? definition);

    /// <summary>Runs a deployment action (<c>StartApplication</c>, <c>ScaleApplication</c>, <c>RestartApplication</c>, <c>StopApplication</c>).</summary>
    Task RunAction(string deploymentId, string action);

    /// <summary>The current definition (null when the app does not exist).</summary>
    [ReadOnly]
    Task<AppDefinition?> GetDefinition();

    /// <summary>The current definition (null when the app does not exist) and the task counts.</summary>
    [ReadOnly]
    Task<AppView> GetView();

    /// <summary>The versions kept, newest first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> GetVersions();

    /// <summary>The readiness of the running instances of the version being deployed (empty without a readiness check).</summary>
    [ReadOnly]
    Task<IReadOnlyList<ReadinessCheckResult>> GetReadiness();

    /// <summary>One kept version.</summary>
    [ReadOnly]
    Task<AppDefinition?> GetVersion(string version);

    /// <summary>
    /// Why the app's action of <paramref name="deploymentId"/> has not finished; <paramref name="placementProblem"/> is
    /// the scheduler's last reason the app's launches could not be placed, if any.
    /// </summary>
    [ReadOnly]
    Task<string> GetBlockedBy(string deploymentId, string? placementProblem);

    /// <summary>The app with its instances and counts.</summary>
    [ReadOnly]
    Task<AppStatus> GetStatus();

    /// <summary>
    /// The scheduler placed <paramref name="proposed"/> instances: the app takes (and records) those it still wants and
    /// returns them; the scheduler launches only these. A resident app's proposal names a reservation
    /// (<see cref="InstanceRecord.ReservationId"/>): one it has and no live task uses, or one of the new
    /// <paramref name="reservations"/>, which the app records with it (the scheduler then reserves and creates them).
    /// </summary>
    Task<IReadOnlyList<InstanceRecord>> ClaimLaunches(IReadOnlyList<InstanceRecord> proposed, IReadOnlyList<ResidentReservation>? reservations = null);

    /// <summary>The scheduler destroyed and unreserved these reservations (an accepted DESTROY and UNRESERVE): they are forgotten.</summary>
    Task ReservationsReleased(IReadOnlyList<string> reservationIds);

    /// <summary>Status updates of the app's tasks, from any agents (the scheduler acknowledges them once this returns).</summary>
    Task StatusUpdates(IReadOnlyList<TaskStatusEvent> updates);

    /// <summary>
    /// Kills instances (<c>DELETE /v2/apps/{id}/tasks</c>); with <paramref name="scale"/> the running count drops too, so
    /// they are not replaced (the root's kill-and-scale deployment, which calls this, lowers the definition).
    /// </summary>
    Task<IReadOnlyList<InstanceRecord>> KillInstances(IReadOnlyList<string> taskIds, bool scale);

    /// <summary>Clears the launch delay (<c>DELETE /v2/queue/{id}/delay</c>).</summary>
    Task ResetDelay();

    /// <summary>The scheduler restarted: report the launch queue and the instances again.</summary>
    [OneWay]
    Task Resync();
}

using System.Text.Json.Serialization;
using OrleansDcos.Grains.Master;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// Marathon's root (key <see cref="MarathonKeys.Root"/>): the set of apps, their deployments (plans, steps, locks,
/// rollback) and the cluster-unique service ports. Every change to apps goes through it.
/// </summary>
[Alias("dcos.IMarathonRootGrain")]
public interface IMarathonRootGrain : IGrainWithStringKey
{
    /// <summary>
    /// Deploys <paramref name="changes"/> (an app definition to create or replace, or null to remove the app);
    /// 409 when an affected app is locked by a deployment unless <paramref name="force"/> (which cancels that one).
    /// </summary>
    Task<DeploymentResult> Deploy(IReadOnlyList<AppChange> changes, bool force, GroupUpdate? groups = null);

    /// <summary>The steps <see cref="Deploy"/> would take for these changes (nothing is changed): a dry run.</summary>
    [ReadOnly]
    Task<IReadOnlyList<DeploymentStepInfo>> DryRun(IReadOnlyList<AppChange> changes, GroupUpdate? groups = null);

    /// <summary>The groups' dependencies and versions.</summary>
    [ReadOnly]
    Task<GroupsInfo> GetGroups();

    /// <summary>Restarts an app's instances (a new version with the same definition).</summary>
    Task<DeploymentResult> Restart(string appId, bool force);

    /// <summary>Every app's current definition.</summary>
    [ReadOnly]
    Task<IReadOnlyList<AppDefinition>> ListApps();

    /// <summary>Every app's current definition with its task counts (null while the root has not heard them since it activated).</summary>
    [ReadOnly]
    Task<IReadOnlyList<AppView>> ListAppViews();

    /// <summary>The running deployments.</summary>
    [ReadOnly]
    Task<IReadOnlyList<DeploymentInfo>> ListDeployments();

    /// <summary>An app's task counts changed (reports of one app are ordered by <see cref="AppCounts.Sequence"/>).</summary>
    [OneWay]
    Task CountsChanged(string appId, AppCounts counts);

    /// <summary>Cancels a deployment: with rollback (a new deployment back to the previous definitions) or only stopped when <paramref name="force"/>.</summary>
    Task<DeploymentResult?> CancelDeployment(string deploymentId, bool force);

    /// <summary>An app finished its part of a deployment step.</summary>
    [OneWay]
    Task ActionDone(string deploymentId, string appId);

    /// <summary>An app changed its own definition (a kill with <c>scale=true</c> lowered its instances).</summary>
    [OneWay]
    Task AppScaled(AppDefinition definition);

    /// <summary>The scheduler (re)activated: every app reports its queue and instances to it again.</summary>
    [OneWay]
    Task SchedulerRestarted();

    /// <summary>Keeps the root active and its deployments driven.</summary>
    Task Ping();
}

/// <summary>
/// The groups at or under <see cref="GroupId"/> become exactly <see cref="Groups"/> (empty: the group is removed), with
/// exactly <see cref="Dependencies"/> (group id → the paths it depends on).
/// </summary>
[GenerateSerializer]
[Alias("dcos.GroupUpdate")]
public sealed record GroupUpdate(string GroupId, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, IReadOnlyList<string>> Dependencies);

/// <summary>The groups created explicitly (they exist even without apps), the dependencies of those that have some, and each group's versions, newest first.</summary>
[GenerateSerializer]
[Alias("dcos.GroupsInfo")]
public sealed record GroupsInfo(
    IReadOnlyList<string> Groups,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Dependencies,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Versions);

/// <summary>One app to create or replace (<see cref="Definition"/>) or remove (null); <see cref="Create"/>: it must not exist yet (409).</summary>
[GenerateSerializer]
[Alias("dcos.AppChange")]
public sealed record AppChange(string AppId, AppDefinition? Definition, bool Create = false);

/// <summary>The answer of a change: <c>{deploymentId, version}</c>.</summary>
[GenerateSerializer]
[Alias("dcos.DeploymentResult")]
public sealed record DeploymentResult(
    [property: JsonPropertyName("deploymentId")] string DeploymentId,
    [property: JsonPropertyName("version")] string Version);

/// <summary>A deployment as <c>/v2/deployments</c> shows it.</summary>
[GenerateSerializer]
[Alias("dcos.DeploymentInfo")]
public sealed record DeploymentInfo(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("affectedApps")] IReadOnlyList<string> AffectedApps,
    [property: JsonPropertyName("affectedPods")] IReadOnlyList<string> AffectedPods,
    [property: JsonPropertyName("steps")] IReadOnlyList<DeploymentStepInfo> Steps,
    [property: JsonPropertyName("currentActions")] IReadOnlyList<DeploymentActionInfo> CurrentActions,
    [property: JsonPropertyName("currentStep")] int CurrentStep,
    [property: JsonPropertyName("totalSteps")] int TotalSteps);

/// <summary>A step of a deployment.</summary>
[GenerateSerializer]
[Alias("dcos.DeploymentStepInfo")]
public sealed record DeploymentStepInfo([property: JsonPropertyName("actions")] IReadOnlyList<DeploymentActionInfo> Actions);

/// <summary>An action; in <c>currentActions</c> also why it does not progress, when it does not.</summary>
[GenerateSerializer]
[Alias("dcos.DeploymentActionInfo")]
public sealed record DeploymentActionInfo(
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("app")] string App,
    [property: JsonPropertyName("blockedBy"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BlockedBy = null,
    [property: JsonPropertyName("readinessCheckResults"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ReadinessCheckResult>? ReadinessCheckResults = null);

/// <summary>An instance's readiness in a deployment (<c>readinessCheckResults</c>); <see cref="LastResponse"/> only when the check preserves it.</summary>
[GenerateSerializer]
[Alias("dcos.ReadinessCheckResult")]
public sealed record ReadinessCheckResult(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("taskId")] string TaskId,
    [property: JsonPropertyName("ready")] bool Ready,
    [property: JsonPropertyName("lastResponse")] ReadinessResponse? LastResponse,
    [property: JsonPropertyName("message")] string Message);

/// <summary>The last answer of a readiness check.</summary>
[GenerateSerializer]
[Alias("dcos.ReadinessResponse")]
public sealed record ReadinessResponse(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("contentType")] string ContentType,
    [property: JsonPropertyName("body")] string Body);

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
    /// returns them; the scheduler launches only these.
    /// </summary>
    Task<IReadOnlyList<InstanceRecord>> ClaimLaunches(IReadOnlyList<InstanceRecord> proposed);

    /// <summary>Status updates of the app's tasks, from any agents (the scheduler acknowledges them once this returns).</summary>
    Task StatusUpdates(IReadOnlyList<TaskStatusEvent> updates);

    /// <summary>Kills instances (<c>DELETE /v2/apps/{id}/tasks</c>); with <paramref name="scale"/> the instance count drops too.</summary>
    Task<IReadOnlyList<InstanceRecord>> KillInstances(IReadOnlyList<string> taskIds, bool scale);

    /// <summary>Clears the launch delay (<c>DELETE /v2/queue/{id}/delay</c>).</summary>
    Task ResetDelay();

    /// <summary>The scheduler restarted: report the launch queue and the instances again.</summary>
    [OneWay]
    Task Resync();
}

/// <summary>
/// Marathon as a framework (key <see cref="MarathonKeys.Scheduler"/>): subscribes to the master, matches offers
/// against the launch queue with the placement engine, launches claimed instances, routes status updates to apps.
/// </summary>
[Alias("dcos.IMarathonSchedulerGrain")]
public interface IMarathonSchedulerGrain : IGrainWithStringKey
{
    /// <summary>Sets an app's launch queue entry (count 0 removes it) and the agents its live instances are on; older sequences are ignored.</summary>
    [OneWay]
    Task SetQueue(LaunchQueueEntry entry);

    /// <summary>Kills tasks through the master.</summary>
    [OneWay]
    Task Kill(IReadOnlyList<InstanceKill> kills);

    /// <summary>Asks the master for the state of these tasks (answers come as status updates; tasks it does not know are UNKNOWN).</summary>
    [OneWay]
    Task Reconcile(IReadOnlyList<InstancePlacement> tasks);

    /// <summary>The launch queue with the last offer-matching outcome per app.</summary>
    [ReadOnly]
    Task<IReadOnlyList<QueueInfo>> GetQueue();

    /// <summary>Counters of offers, launches, kills and status updates since activation, and queue gauges.</summary>
    [ReadOnly]
    Task<SchedulerMetrics> GetMetrics();

    /// <summary>The framework id and whether it is subscribed.</summary>
    [ReadOnly]
    Task<SchedulerStatus> GetStatus();

    /// <summary>Keeps the scheduler subscribed.</summary>
    Task Ping();
}

/// <summary>A task to kill.</summary>
[GenerateSerializer]
[Alias("dcos.InstanceKill")]
public sealed record InstanceKill(string TaskId, string AgentId, double? GracePeriodSeconds);

/// <summary>What the scheduler must launch for an app, and where its instances already are (for constraints).</summary>
[GenerateSerializer]
[Alias("dcos.LaunchQueueEntry")]
public sealed record LaunchQueueEntry(
    string AppId,
    long Sequence,
    AppDefinition? Definition,
    int Count,
    double DelayUntil,
    IReadOnlyList<InstancePlacement> Placements);

/// <summary>Where a live instance runs.</summary>
[GenerateSerializer]
[Alias("dcos.InstancePlacement")]
public sealed record InstancePlacement(string TaskId, string AgentId, string Host, string Attributes)
{
    /// <summary>Where <paramref name="instance"/> runs.</summary>
    public static InstancePlacement Of(InstanceRecord instance) => new(instance.TaskId, instance.AgentId, instance.Host, instance.Attributes);
}

/// <summary>
/// The scheduler's counters (named as in <see cref="MarathonMetricNames"/>, counting since its activation), the
/// instances waiting to launch, those of them waiting past a minute without a launch delay, whether it is
/// subscribed, and its seconds since activation.
/// </summary>
[GenerateSerializer]
[Alias("dcos.SchedulerMetrics")]
public sealed record SchedulerMetrics(
    IReadOnlyDictionary<string, long> Counters,
    int InstancesQueued,
    int InstancesLaunchOverdue,
    bool Subscribed,
    double ActiveSeconds);

/// <summary>Names of Marathon's metrics (Marathon's own where it has one).</summary>
public static class MarathonMetricNames
{
    /// <summary>Offers received.</summary>
    public const string OffersIncoming = "marathon.mesos.offers.incoming.counter";

    /// <summary>Offers accepted to launch something.</summary>
    public const string OffersUsed = "marathon.mesos.offers.used.counter";

    /// <summary>Offers declined.</summary>
    public const string OffersDeclined = "marathon.mesos.offers.declined.counter";

    /// <summary>Tasks launched.</summary>
    public const string TasksLaunched = "marathon.tasks.launched.counter";

    /// <summary>Kills sent to the master.</summary>
    public const string TasksKilled = "marathon.tasks.kills.counter";

    /// <summary>Status updates received in <paramref name="state"/> (<c>TASK_RUNNING</c> → <c>task-running</c>).</summary>
    public static string TaskUpdate(TaskState state) =>
        $"marathon.mesos.task-updates.{state.ToString().ToLowerInvariant().Replace('_', '-')}.counter";
}

/// <summary>The scheduler's framework status.</summary>
[GenerateSerializer]
[Alias("dcos.SchedulerStatus")]
public sealed record SchedulerStatus(string FrameworkId, bool Subscribed);

/// <summary>An app's entry in <c>/v2/queue</c>.</summary>
[GenerateSerializer]
[Alias("dcos.QueueInfo")]
public sealed record QueueInfo(
    string AppId,
    int Count,
    double DelayUntil,
    double Since,
    int ProcessedOffers,
    int UnusedOffers,
    IReadOnlyDictionary<string, int> RejectSummary,
    string? LastReason);

/// <summary>One instance (task) of an app, as Marathon keeps it.</summary>
[GenerateSerializer]
[Alias("dcos.InstanceRecord")]
public sealed record InstanceRecord(
    [property: JsonPropertyName("id")] string TaskId,
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("slaveId")] string AgentId,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("ports")] IReadOnlyList<int> Ports,
    [property: JsonPropertyName("servicePorts")] IReadOnlyList<int> ServicePorts,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("configVersion")] string ConfigVersion,
    [property: JsonPropertyName("stagedAt")] string StagedAt,
    [property: JsonPropertyName("startedAt")] string? StartedAt,
    [property: JsonPropertyName("state")] TaskState State,
    [property: JsonPropertyName("healthy")] bool? Healthy,
    [property: JsonPropertyName("killing")] bool Killing,
    [property: JsonPropertyName("attributes")] string Attributes,
    [property: JsonPropertyName("resources")] string Resources,
    [property: JsonPropertyName("role")] string Role);

/// <summary>An app with its instances and counts, for the API.</summary>
[GenerateSerializer]
[Alias("dcos.AppStatus")]
public sealed record AppStatus(
    AppDefinition? Definition,
    IReadOnlyList<InstanceRecord> Instances,
    string? DeploymentId,
    TaskFailureInfo? LastTaskFailure,
    double DelayUntil);

/// <summary>An app's definition (null when it does not exist) and its task counts, as <c>/v2/apps</c> lists them.</summary>
[GenerateSerializer]
[Alias("dcos.AppView")]
public sealed record AppView(AppDefinition? Definition, AppCounts? Counts);

/// <summary>
/// An app's task counts as <c>/v2/apps</c> shows them (<c>tasksStaged</c>, <c>tasksRunning</c>, <c>tasksHealthy</c>,
/// <c>tasksUnhealthy</c>); <see cref="Sequence"/> orders the reports of one app.
/// </summary>
[GenerateSerializer]
[Alias("dcos.AppCounts")]
public sealed record AppCounts(int Staged, int Running, int Healthy, int Unhealthy, long Sequence = 0)
{
    /// <summary>The counts of <paramref name="instances"/> (healthy ones count only when the app has a health check).</summary>
    public static AppCounts Of(AppDefinition? definition, IEnumerable<InstanceRecord> instances, long sequence = 0)
    {
        int staged = 0, running = 0, healthy = 0, unhealthy = 0;
        var checks = definition?.HealthChecks.Count > 0;
        foreach (var instance in instances)
        {
            staged += instance.State is TaskState.TASK_STAGING or TaskState.TASK_STARTING ? 1 : 0;
            running += instance.State == TaskState.TASK_RUNNING ? 1 : 0;
            healthy += checks && instance.State == TaskState.TASK_RUNNING && instance.Healthy == true ? 1 : 0;
            unhealthy += instance.Healthy == false ? 1 : 0;
        }

        return new AppCounts(staged, running, healthy, unhealthy, sequence);
    }

    /// <summary>True when the counts (not the sequence) are those of <paramref name="other"/>.</summary>
    public bool SameAs(AppCounts? other) => other is not null && this with { Sequence = 0 } == other with { Sequence = 0 };
}

/// <summary>The last task of an app that failed (<c>lastTaskFailure</c>).</summary>
[GenerateSerializer]
[Alias("dcos.TaskFailureInfo")]
public sealed record TaskFailureInfo(
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("taskId")] string TaskId,
    [property: JsonPropertyName("timestamp")] string Timestamp,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("slaveId")] string AgentId);

/// <summary>Keys and naming of Marathon's grains and tasks.</summary>
public static class MarathonKeys
{
    /// <summary>The root grain's key.</summary>
    public const string Root = "/";

    /// <summary>The scheduler grain's key.</summary>
    public const string Scheduler = "marathon";

    /// <summary>Marathon's framework id at the master.</summary>
    public const string FrameworkId = "marathon";

    /// <summary>A new task id for <paramref name="appId"/>: <c>group_app.&lt;uuid&gt;</c> (app ids never hold '_').</summary>
    public static string NewTaskId(string appId) => $"{appId.TrimStart('/').Replace('/', '_')}.{Guid.NewGuid():N}";

    /// <summary>The app a task id belongs to, or null when it is not a Marathon task id.</summary>
    public static string? AppIdOf(string taskId)
    {
        var dot = taskId.LastIndexOf('.');
        return dot <= 0 ? null : "/" + taskId[..dot].Replace('_', '/');
    }

    /// <summary>The Mesos task name of an app: its path reversed and joined by dots (<c>/prod/web</c> → <c>web.prod</c>).</summary>
    public static string TaskNameOf(string appId) => string.Join('.', appId.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());

    /// <summary>An ISO-8601 UTC timestamp with milliseconds, Marathon's version format.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Event subscriptions (key <see cref="MarathonKeys.Scheduler"/>): callback URLs that get every event of the bus
/// POSTed, in order, each retried with backoff until it is taken or its attempts run out.
/// </summary>
[Alias("dcos.IEventSubscriptionsGrain")]
public interface IEventSubscriptionsGrain : IGrainWithStringKey
{
    /// <summary>Adds a callback URL (idempotent).</summary>
    Task Subscribe(string callbackUrl, string? clientIp);

    /// <summary>Removes a callback URL; false when it was not subscribed.</summary>
    Task<bool> Unsubscribe(string callbackUrl, string? clientIp);

    /// <summary>The callback URLs.</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> List();

    /// <summary>Keeps the delivery running.</summary>
    Task Ping();
}

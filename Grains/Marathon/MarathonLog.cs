using Microsoft.Extensions.Logging;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Marathon;

/// <summary>What Marathon's grains log (source-generated: nothing is formatted for a level that is off).</summary>
internal static partial class MarathonLog
{
    // ------------------------------------------------------------------ apps

    [LoggerMessage(Level = LogLevel.Debug, Message = "app {AppId}: {Action} for deployment {DeploymentId}")]
    public static partial void AppAction(ILogger logger, string appId, string action, string deploymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "app {AppId}: killing {Count} unknown task(s): {Tasks}")]
    public static partial void AppUnknownTasks(ILogger logger, string appId, int count, IEnumerable<string> tasks);

    [LoggerMessage(Level = LogLevel.Information, Message = "app {AppId}: task {TaskId} {State} ({Message}); next launch in {Delay:0.##} s")]
    public static partial void AppTaskFailed(ILogger logger, string appId, string taskId, TaskState state, string? message, double delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "app {AppId}: unhealthy task {TaskId} is not killed yet: {Count} unhealthy kills in the last {Window} (limit {Allowed})")]
    public static partial void AppUnhealthyKillDeferred(ILogger logger, string appId, string taskId, int count, TimeSpan window, int allowed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "app {AppId}: {Live} live ({Pending} pending) for {Instances} → launch {Launch}, kill {Kill}, done {Done}")]
    public static partial void AppConverge(ILogger logger, string appId, int live, int pending, int instances, int launch, int kill, bool done);

    [LoggerMessage(Level = LogLevel.Information, Message = "app {AppId}: {Count} launch(es) never reported; reconciling them")]
    public static partial void AppStaleLaunches(ILogger logger, string appId, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "app {AppId}: done with its action of deployment {DeploymentId}")]
    public static partial void AppActionDone(ILogger logger, string appId, string deploymentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "app {AppId}: killing {Count} task(s) ({Why})")]
    public static partial void AppKilling(ILogger logger, string appId, int count, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "app {AppId}: {Count} killed task(s) still live; killing again")]
    public static partial void AppKillingAgain(ILogger logger, string appId, int count);

    // ------------------------------------------------------------------ deployments

    [LoggerMessage(Level = LogLevel.Information, Message = "marathon: deployment {DeploymentId} cancelled (rollback: {Rollback})")]
    public static partial void DeploymentCancelled(ILogger logger, string deploymentId, bool rollback);

    [LoggerMessage(Level = LogLevel.Debug, Message = "marathon: deployment {DeploymentId}: {AppId} is done with its action")]
    public static partial void DeploymentActionDone(ILogger logger, string deploymentId, string appId);

    [LoggerMessage(Level = LogLevel.Information, Message = "marathon: deployment {DeploymentId} superseded (force)")]
    public static partial void DeploymentSuperseded(ILogger logger, string deploymentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "marathon: deployment {DeploymentId} (version {Version}): {Steps}")]
    public static partial void DeploymentStarted(ILogger logger, string deploymentId, string version, IEnumerable<string> steps);

    [LoggerMessage(Level = LogLevel.Debug, Message = "marathon: deployment {DeploymentId} step {Step}: {Action} {AppId}")]
    public static partial void DeploymentStep(ILogger logger, string deploymentId, int step, string action, string appId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "marathon: deployment {DeploymentId}: {Action} {AppId} could not start; retrying")]
    public static partial void DeploymentStepFailed(ILogger logger, Exception exception, string deploymentId, string action, string appId);

    [LoggerMessage(Level = LogLevel.Information, Message = "marathon: deployment {DeploymentId} succeeded")]
    public static partial void DeploymentSucceeded(ILogger logger, string deploymentId);

    // ------------------------------------------------------------------ scheduler

    [LoggerMessage(Level = LogLevel.Debug, Message = "marathon: queue of {AppId}: {Count} to launch (sequence {Sequence}, {Placements} placed)")]
    public static partial void QueueChanged(ILogger logger, string appId, int count, long sequence, int placements);

    [LoggerMessage(Level = LogLevel.Warning, Message = "marathon: not subscribed; {Count} kill(s) wait for the reconciliation")]
    public static partial void KillsWait(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "marathon: {Action} offers")]
    public static partial void Demand(ILogger logger, string action);

    [LoggerMessage(Level = LogLevel.Debug, Message = "marathon: launches wait and no offer came for {Interval}: reviving")]
    public static partial void ReviveAfterSilence(ILogger logger, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Debug, Message = "marathon: could not tell the master its demand now ({Message}); next interval")]
    public static partial void DemandNotTold(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "marathon: the master closed the event stream; subscribing again")]
    public static partial void StreamClosed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "marathon: the event pump failed; retrying")]
    public static partial void PumpFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "marathon: subscribed as framework {FrameworkId}")]
    public static partial void Subscribed(ILogger logger, string frameworkId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "marathon: {Offers} offer(s) from {Agents} agent(s); {Queued} app(s) queued")]
    public static partial void Offers(ILogger logger, int offers, int agents, int queued);

    [LoggerMessage(Level = LogLevel.Warning, Message = "marathon: app {AppId} did not claim its launches")]
    public static partial void ClaimFailed(ILogger logger, Exception exception, string appId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "marathon: offers of agent {AgentId} could not be used: {Message}")]
    public static partial void OffersUnused(ILogger logger, string agentId, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "marathon: launched {Count} task(s) on {Agents} agent(s)")]
    public static partial void Launched(ILogger logger, int count, int agents);

    [LoggerMessage(Level = LogLevel.Warning, Message = "marathon: updates of app {AppId} were not recorded; they come again")]
    public static partial void UpdatesNotRecorded(ILogger logger, Exception exception, string appId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "marathon: {Count} acknowledgement(s) failed; the agents send those updates again")]
    public static partial void AcknowledgementsFailed(ILogger logger, Exception exception, int count);

    // ------------------------------------------------------------------ event callbacks

    [LoggerMessage(Level = LogLevel.Warning, Message = "marathon callbacks: {Message}; delivering from the oldest kept event")]
    public static partial void CallbacksRewound(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "marathon callbacks: delivery failed; resuming")]
    public static partial void CallbacksFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "marathon callbacks: {Url} answered {Status} to {EventType} (attempt {Attempt})")]
    public static partial void CallbackAnswered(ILogger logger, string url, int status, string eventType, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "marathon callbacks: {Url} failed for {EventType} (attempt {Attempt}): {Message}")]
    public static partial void CallbackFailed(ILogger logger, string url, string eventType, int attempt, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "marathon callbacks: {Url} did not take {EventType} after {Attempts} attempts; given up for it")]
    public static partial void CallbackGivenUp(ILogger logger, string url, string eventType, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "app {AppId}: {Released} reservations destroyed and unreserved; {Left} left")]
    public static partial void AppReservationsReleased(ILogger logger, string appId, int released, int left);

    [LoggerMessage(Level = LogLevel.Warning, Message = "secrets could not be read for launches: {Reason}")]
    public static partial void SecretsUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "marathon: version {Version} is saved, but not every app has its definition yet; each gets it with its deployment action")]
    public static partial void DefinitionsNotSent(ILogger logger, Exception exception, string version);
}

using Orleans;
using Orleans.Concurrency;

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

    /// <summary>
    /// Kills tasks and lowers their apps' instances by as many (<c>?scale=true</c> on the task-kill endpoints), as one
    /// deployment, as Marathon does: refused while the apps are locked by a deployment unless <paramref name="force"/>.
    /// </summary>
    /// <param name="tasksByApp">The task ids to kill, by app.</param>
    /// <param name="force">Supersede deployments that hold the apps.</param>
    Task<DeploymentResult> KillAndScale(IReadOnlyDictionary<string, IReadOnlyList<string>> tasksByApp, bool force);

    /// <summary>The scheduler (re)activated: every app reports its queue and instances to it again.</summary>
    [OneWay]
    Task SchedulerRestarted();

    /// <summary>Keeps the root active and its deployments driven.</summary>
    Task Ping();
}

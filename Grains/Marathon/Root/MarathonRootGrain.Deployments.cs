using System.Text.Json.Nodes;
using OrleansDcos.Grains.Concurrency;
using OrleansDcos.Grains.Marathon.Deployments;
using OrleansDcos.Scheduling.Deployment;

namespace OrleansDcos.Grains.Marathon.Root;

/// <summary>
/// The root's deployments: planning a change into steps (<see cref="AppPlanning"/>), the locks between deployments,
/// running a step's actions on the apps until each says it is done (sent again while not, since a done can be lost
/// with a silo), cancelling and rolling back, and the deployment events of the event bus.
/// </summary>
internal sealed partial class MarathonRootGrain
{
    /// <summary>When each running action was last sent; an action not done is sent again after <see cref="ResendAfter"/>.</summary>
    private readonly Dictionary<(string Deployment, int Step, string App), DateTime> _started = [];

    /// <summary>
    /// An app's "done" is a one-way message that a dying silo can take with it (after the app recorded that it is
    /// done), so an action still not done after this long is sent again: it is idempotent, and an app that is done
    /// answers done again.
    /// </summary>
    private static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public Task<IReadOnlyList<DeploymentInfo>> ListDeployments() =>
        Task.FromResult<IReadOnlyList<DeploymentInfo>>(S.Deployments.Select(Describe).ToList());

    /// <inheritdoc />
    public Task<DeploymentResult> Deploy(IReadOnlyList<AppChange> changes, bool force, GroupUpdate? groups = null) =>
        DeployAsync(changes, force, restart: [], keepVersions: false, groups);

    /// <inheritdoc />
    public Task<IReadOnlyList<DeploymentStepInfo>> DryRun(IReadOnlyList<AppChange> changes, GroupUpdate? groups = null)
    {
        var (current, target, _, targetGroups, _) = Target(changes, restart: [], keepVersions: false, NextVersion(peek: true), groups);
        IReadOnlyList<DeploymentStepInfo> steps = AppPlanning.Plan(current, target, S.GroupDependencies, targetGroups)
            .Select(step => new DeploymentStepInfo(step.Actions.Select(a => new DeploymentActionInfo(a.Action, a.App)).ToList()))
            .ToList();
        return Task.FromResult(steps);
    }

    /// <inheritdoc />
    public Task<DeploymentResult> Restart(string appId, bool force)
    {
        var app = _apps.GetValueOrDefault(appId) ?? throw new MarathonNotFoundException($"App '{appId}' does not exist");
        return DeployAsync([new AppChange(appId, app)], force, restart: [appId], keepVersions: false);
    }

    /// <inheritdoc />
    public async Task<DeploymentResult> KillAndScale(IReadOnlyDictionary<string, IReadOnlyList<string>> tasksByApp, bool force)
    {
        foreach (var id in tasksByApp.Keys.Where(id => !_apps.ContainsKey(id)))
        {
            throw new MarathonNotFoundException($"App '{id}' does not exist");
        }

        // Refused before anything is killed when the apps are locked.
        if (!force)
        {
            ThrowIfLocked(tasksByApp.Keys);
        }

        var changes = new List<AppChange>();
        foreach (var (id, taskIds) in tasksByApp)
        {
            var killed = await App(id).KillInstances(taskIds, scale: true);
            var app = _apps[id];
            changes.Add(new AppChange(id, app with { Instances = Math.Max(0, app.Instances - killed.Count) }));
        }

        return await DeployAsync(changes, force: true, restart: [], keepVersions: false);
    }

    /// <inheritdoc />
    public async Task<DeploymentResult?> CancelDeployment(string deploymentId, bool force)
    {
        var deployment = S.Deployments.FirstOrDefault(d => d.Id == deploymentId)
            ?? throw new MarathonNotFoundException($"DeploymentPlan {deploymentId} does not exist");
        S.Deployments.Remove(deployment);
        await state.WriteOrReloadAsync(this);
        MarathonLog.DeploymentCancelled(logger, deploymentId, rollback: !force);
        await PublishAsync(DeploymentEvents.Ended(MarathonEventStream.DeploymentFailed, deployment, time.GetUtcNow()));
        if (force)
        {
            return null;
        }

        // Back to the definitions from before, as they were (same versions: instances of them are not restarted).
        var back = deployment.Originals.Select(kv => new AppChange(kv.Key, kv.Value)).ToList();
        return await DeployAsync(back, force: true, restart: [], keepVersions: true,
            deployment.GroupsBefore);
    }

    /// <inheritdoc />
    public async Task ActionDone(string deploymentId, string appId)
    {
        MarathonLog.DeploymentActionDone(logger, deploymentId, appId);
        var deployment = S.Deployments.FirstOrDefault(d => d.Id == deploymentId);
        if (deployment is null || deployment.CurrentStep >= deployment.Steps.Count
            || !deployment.Steps[deployment.CurrentStep].Actions.Any(a => a.App == appId))
        {
            return;
        }

        deployment.Done.Add(appId);
        await AdvanceAsync(deployment);
    }

    private async Task<DeploymentResult> DeployAsync(IReadOnlyList<AppChange> changes, bool force, IReadOnlyCollection<string> restart, bool keepVersions, GroupUpdate? groups = null)
    {
        var version = NextVersion();
        var (current, target, affectedGroups, targetGroups, explicitGroups) = Target(changes, restart, keepVersions, version, groups);
        foreach (var change in changes)
        {
            if (current.GetValueOrDefault(change.AppId) is { } before && target.GetValueOrDefault(change.AppId) is { } after
                && Residency.ChangeProblem(before, after) is var (path, problem))
            {
                throw MarathonValidationException.Of(path, $"{change.AppId}: {problem}");
            }
        }
        var steps = AppPlanning.Plan(current, target, S.GroupDependencies, targetGroups).ToList();
        foreach (var id in restart.Where(id => !steps.SelectMany(s => s.Actions).Any(a => a.App == id)))
        {
            steps.Add(new PlannedStep([new PlannedAction(DeploymentActions.Restart, id)]));
        }

        var affected = changes.Select(c => c.AppId).Concat(steps.SelectMany(s => s.Actions).Select(a => a.App))
            .Distinct(StringComparer.Ordinal).ToList();
        var asked = affected.Sum(id => (long)(target.GetValueOrDefault(id)?.Instances ?? 0));
        if (asked > _options.MaxInstancesPerDeployment)
        {
            throw MarathonValidationException.Of("/instances",
                $"the apps of this deployment ask for {asked} instances together; the limit is {_options.MaxInstancesPerDeployment} (Marathon:MaxInstancesPerDeployment)");
        }

        if (!force)
        {
            ThrowIfLocked(affected);
        }

        var conflicts = S.Deployments.Where(d => d.Targets.Keys.Intersect(affected, StringComparer.Ordinal).Any()).ToList();
        foreach (var conflict in conflicts)
        {
            S.Deployments.Remove(conflict);
        }

        var deployment = new DeploymentRecord
        {
            Id = Guid.NewGuid().ToString(),
            Version = version,
            Steps = steps,
            Originals = affected.ToDictionary(id => id, id => current.GetValueOrDefault(id), StringComparer.Ordinal),
            Targets = affected.ToDictionary(id => id, id => target.GetValueOrDefault(id), StringComparer.Ordinal),
            GroupsBefore = groups is null ? null
                : new GroupUpdate("/", S.Groups.ToList(), new Dictionary<string, IReadOnlyList<string>>(S.GroupDependencies, StringComparer.Ordinal)),
        };
        S.Deployments.Add(deployment);
        S.AppIds = target.Keys.ToHashSet(StringComparer.Ordinal);
        S.GroupDependencies = targetGroups;
        S.Groups = explicitGroups;
        RecordGroupVersions(affected.Concat(affectedGroups), version, target.Keys);

        // A failed write takes the whole change back (the state is read again): nothing of it is acted on.
        await state.WriteOrReloadAsync(this);
        foreach (var conflict in conflicts)
        {
            MarathonLog.DeploymentSuperseded(logger, conflict.Id);
            await PublishAsync(DeploymentEvents.Ended(MarathonEventStream.DeploymentFailed, conflict, time.GetUtcNow()));
        }

        // Acknowledged from here on: the record brings the definitions back after a failover, and each action sent
        // (or sent again) gives its app the definition first — an app that missed it now gets it then.
        try
        {
            await Task.WhenAll(affected.Select(id => App(id).SetDefinition(target.GetValueOrDefault(id))));
        }
        catch (Exception ex)
        {
            MarathonLog.DefinitionsNotSent(logger, ex, version);
        }
        _apps.Clear();
        foreach (var (id, definition) in target)
        {
            _apps[id] = definition;
        }

        foreach (var removed in _counts.Keys.Where(id => !_apps.ContainsKey(id)).ToList())
        {
            _counts.Remove(removed);
        }

        MarathonLog.DeploymentStarted(logger, deployment.Id, version, steps.Select(s => string.Join(", ", s.Actions.Select(a => $"{a.Action} {a.App}"))));
        await PublishAsync(
            MarathonEvent.Of(time.GetUtcNow(), MarathonEventStream.GroupChangeSuccess, new JsonObject { ["groupId"] = groups?.GroupId ?? "/", ["version"] = version }),
            DeploymentEvents.AtStep(MarathonEventStream.DeploymentInfo, deployment, time.GetUtcNow()));
        await AdvanceAsync(deployment);
        return new DeploymentResult(deployment.Id, version);
    }

    /// <summary>Marathon's 409 when a deployment holds any of <paramref name="apps"/>.</summary>
    private void ThrowIfLocked(IEnumerable<string> apps)
    {
        var conflicts = S.Deployments.Where(d => d.Targets.Keys.Intersect(apps, StringComparer.Ordinal).Any()).ToList();
        if (conflicts.Count > 0)
        {
            throw new MarathonConflictException(
                $"App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/{string.Join(",", conflicts.Select(c => c.Id))}'.");
        }
    }

    private async Task AdvanceAsync(DeploymentRecord deployment)
    {
        while (deployment.CurrentStep < deployment.Steps.Count)
        {
            var step = deployment.Steps[deployment.CurrentStep];
            var pending = step.Actions.Where(a => !deployment.Done.Contains(a.App)).ToList();
            if (pending.Count == 0)
            {
                var finished = DeploymentEvents.AtStep(MarathonEventStream.DeploymentStepSuccess, deployment, time.GetUtcNow());
                deployment.CurrentStep++;
                deployment.Done.Clear();
                await state.WriteOrReloadAsync(this);
                await PublishAsync(deployment.CurrentStep < deployment.Steps.Count
                    ? [finished, DeploymentEvents.AtStep(MarathonEventStream.DeploymentInfo, deployment, time.GetUtcNow())]
                    : [finished]);
                continue;
            }

            var now = time.GetUtcNow().UtcDateTime;
            var due = pending.Where(a => !_started.TryGetValue((deployment.Id, deployment.CurrentStep, a.App), out var sent) || now - sent > ResendAfter).ToList();
            foreach (var action in due)
            {
                _started[(deployment.Id, deployment.CurrentStep, action.App)] = now;
                MarathonLog.DeploymentStep(logger, deployment.Id, deployment.CurrentStep + 1, action.Action, action.App);
                try
                {
                    await App(action.App).SetDefinition(deployment.Targets.GetValueOrDefault(action.App));
                    await App(action.App).RunAction(deployment.Id, action.Action);
                }
                catch (Exception ex)
                {
                    // Sent again on the next keep-alive ping (actions are idempotent).
                    _started.Remove((deployment.Id, deployment.CurrentStep, action.App));
                    MarathonLog.DeploymentStepFailed(logger, ex, deployment.Id, action.Action, action.App);
                }
            }

            return;
        }

        S.Deployments.Remove(deployment);
        await state.WriteOrReloadAsync(this);
        foreach (var key in _started.Keys.Where(k => k.Deployment == deployment.Id).ToList())
        {
            _started.Remove(key);
        }
        MarathonLog.DeploymentSucceeded(logger, deployment.Id);
        await PublishAsync(DeploymentEvents.Ended(MarathonEventStream.DeploymentSuccess, deployment, time.GetUtcNow()));
    }

    private static DeploymentInfo Describe(DeploymentRecord d)
    {
        var steps = d.Steps.Select(s => new DeploymentStepInfo(s.Actions.Select(a => new DeploymentActionInfo(a.Action, a.App)).ToList())).ToList();
        var current = d.CurrentStep < d.Steps.Count
            ? d.Steps[d.CurrentStep].Actions.Where(a => !d.Done.Contains(a.App)).Select(a => new DeploymentActionInfo(a.Action, a.App)).ToList()
            : [];
        return new DeploymentInfo(d.Id, d.Version, d.Targets.Keys.Order(StringComparer.Ordinal).ToList(), [], steps, current,
            Math.Min(d.CurrentStep + 1, Math.Max(1, d.Steps.Count)), d.Steps.Count);
    }

    /// <summary>deployment_info / deployment_step_success: the plan and the step it is at.</summary>
}

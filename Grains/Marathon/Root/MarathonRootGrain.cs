using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using OrleansDcos.Scheduling.Deployment;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// Marathon's root: the apps that exist (definitions cached from their grains), deployments with their plans and
/// locks, rollback, and service-port assignment. Deployments are durable: after a failover the running step's
/// actions are sent again (they are idempotent) and the apps' definitions re-applied.
/// </summary>
internal sealed class MarathonRootGrain(
    [PersistentState("marathon-root")] IPersistentState<MarathonRootState> state,
    IOptions<MarathonOptions> options,
    TimeProvider time,
    ILogger<MarathonRootGrain> logger) : Grain, IMarathonRootGrain
{
    private readonly MarathonOptions _options = options.Value;
    private readonly Dictionary<string, AppDefinition> _apps = new(StringComparer.Ordinal);
    /// <summary>Each app's latest task counts (reported by the apps; not durable: asked again at activation).</summary>
    private readonly Dictionary<string, AppCounts> _counts = new(StringComparer.Ordinal);
    /// <summary>When each running action was last sent; an action not done is sent again after <see cref="ResendAfter"/>.</summary>
    private readonly Dictionary<(string Deployment, int Step, string App), DateTime> _started = [];

    /// <summary>
    /// An app's "done" is a one-way message that a dying silo can take with it (after the app recorded that it is
    /// done), so an action still not done after this long is sent again: it is idempotent, and an app that is done
    /// answers done again.
    /// </summary>
    private static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(10);

    /// <summary>Versions kept per group.</summary>
    private const int KeptGroupVersions = 50;

    private MarathonRootState S => state.State;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DelayDeactivation(TimeSpan.FromDays(365));
        var views = await Task.WhenAll(S.AppIds.Select(id => App(id).GetView()));
        foreach (var view in views.Where(v => v.Definition is not null))
        {
            _apps[view.Definition!.Id] = view.Definition;
            RecordCounts(view.Definition.Id, view.Counts!);
        }

        // A change acknowledged to its caller is in a deployment record: make sure every app has it.
        foreach (var deployment in S.Deployments)
        {
            foreach (var (id, target) in deployment.Targets)
            {
                if (target is null)
                {
                    _apps.Remove(id);
                }
                else
                {
                    _apps[id] = target;
                }

                await App(id).SetDefinition(target);
            }
        }

        foreach (var deployment in S.Deployments.ToList())
        {
            await AdvanceAsync(deployment);
        }
    }

    /// <inheritdoc />
    public async Task Ping()
    {
        // Drives deployments whose actions could not be sent before.
        foreach (var deployment in S.Deployments.ToList())
        {
            await AdvanceAsync(deployment);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AppDefinition>> ListApps() =>
        Task.FromResult<IReadOnlyList<AppDefinition>>(_apps.Values.OrderBy(a => a.Id, StringComparer.Ordinal).ToList());

    /// <inheritdoc />
    public Task<IReadOnlyList<AppView>> ListAppViews() =>
        Task.FromResult<IReadOnlyList<AppView>>(_apps.Values.OrderBy(a => a.Id, StringComparer.Ordinal).Select(a => new AppView(a, _counts.GetValueOrDefault(a.Id))).ToList());

    /// <inheritdoc />
    public Task CountsChanged(string appId, AppCounts counts)
    {
        RecordCounts(appId, counts);
        return Task.CompletedTask;
    }

    private void RecordCounts(string appId, AppCounts counts)
    {
        if (!_counts.TryGetValue(appId, out var known) || known.Sequence < counts.Sequence)
        {
            _counts[appId] = counts;
        }
    }

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
    public Task<GroupsInfo> GetGroups() => Task.FromResult(new GroupsInfo(
        S.Groups.Order(StringComparer.Ordinal).ToList(),
        S.GroupDependencies.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        S.GroupVersions.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value.ToList(), StringComparer.Ordinal)));

    /// <inheritdoc />
    public Task<DeploymentResult> Restart(string appId, bool force)
    {
        var app = _apps.GetValueOrDefault(appId) ?? throw new MarathonNotFoundException($"App '{appId}' does not exist");
        return DeployAsync([new AppChange(appId, app)], force, restart: [appId], keepVersions: false);
    }

    /// <inheritdoc />
    public async Task<DeploymentResult?> CancelDeployment(string deploymentId, bool force)
    {
        var deployment = S.Deployments.FirstOrDefault(d => d.Id == deploymentId)
            ?? throw new MarathonNotFoundException($"DeploymentPlan {deploymentId} does not exist");
        S.Deployments.Remove(deployment);
        await state.WriteStateAsync();
        logger.LogInformation("marathon: deployment {DeploymentId} cancelled{How}", deploymentId, force ? " (no rollback)" : ", rolling back");
        await PublishAsync(MarathonEvent.Of(time.GetUtcNow(), MarathonEventStream.DeploymentFailed, new JsonObject { ["id"] = deployment.Id, ["plan"] = PlanJson(deployment) }));
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
        logger.LogDebug("marathon: deployment {DeploymentId}: {AppId} is done with its action", deploymentId, appId);
        var deployment = S.Deployments.FirstOrDefault(d => d.Id == deploymentId);
        if (deployment is null || deployment.CurrentStep >= deployment.Steps.Count
            || !deployment.Steps[deployment.CurrentStep].Actions.Any(a => a.App == appId))
        {
            return;
        }

        deployment.Done.Add(appId);
        await AdvanceAsync(deployment);
    }

    /// <inheritdoc />
    public Task AppScaled(AppDefinition definition)
    {
        if (_apps.ContainsKey(definition.Id))
        {
            _apps[definition.Id] = definition;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SchedulerRestarted()
    {
        foreach (var id in S.AppIds.Concat(S.Deployments.SelectMany(d => d.Targets.Keys)).Distinct(StringComparer.Ordinal))
        {
            _ = App(id).Resync();
        }

        return Task.CompletedTask;
    }

    // ------------------------------------------------------------------ deploying

    private async Task<DeploymentResult> DeployAsync(IReadOnlyList<AppChange> changes, bool force, IReadOnlyCollection<string> restart, bool keepVersions, GroupUpdate? groups = null)
    {
        var version = NextVersion();
        var (current, target, affectedGroups, targetGroups, explicitGroups) = Target(changes, restart, keepVersions, version, groups);
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

        var conflicts = S.Deployments.Where(d => d.Targets.Keys.Intersect(affected, StringComparer.Ordinal).Any()).ToList();
        if (conflicts.Count > 0 && !force)
        {
            throw new MarathonConflictException(
                $"App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/{string.Join(",", conflicts.Select(c => c.Id))}'.");
        }

        foreach (var conflict in conflicts)
        {
            S.Deployments.Remove(conflict);
            logger.LogInformation("marathon: deployment {DeploymentId} superseded (force)", conflict.Id);
            await PublishAsync(MarathonEvent.Of(time.GetUtcNow(), MarathonEventStream.DeploymentFailed, new JsonObject { ["id"] = conflict.Id, ["plan"] = PlanJson(conflict) }));
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
        await state.WriteStateAsync();

        // Acknowledged from here on: the record brings the definitions back after a failover.
        await Task.WhenAll(affected.Select(id => App(id).SetDefinition(target.GetValueOrDefault(id))));
        _apps.Clear();
        foreach (var (id, definition) in target)
        {
            _apps[id] = definition;
        }

        foreach (var removed in _counts.Keys.Where(id => !_apps.ContainsKey(id)).ToList())
        {
            _counts.Remove(removed);
        }

        logger.LogInformation("marathon: deployment {DeploymentId} (version {Version}): {Steps}", deployment.Id, version,
            string.Join(" | ", steps.Select(s => string.Join(", ", s.Actions.Select(a => $"{a.Action} {a.App}")))));
        await PublishAsync(
            MarathonEvent.Of(time.GetUtcNow(), MarathonEventStream.GroupChangeSuccess, new JsonObject { ["groupId"] = groups?.GroupId ?? "/", ["version"] = version }),
            DeploymentEvent(MarathonEventStream.DeploymentInfo, deployment));
        await AdvanceAsync(deployment);
        return new DeploymentResult(deployment.Id, version);
    }

    private async Task AdvanceAsync(DeploymentRecord deployment)
    {
        while (deployment.CurrentStep < deployment.Steps.Count)
        {
            var step = deployment.Steps[deployment.CurrentStep];
            var pending = step.Actions.Where(a => !deployment.Done.Contains(a.App)).ToList();
            if (pending.Count == 0)
            {
                var finished = DeploymentEvent(MarathonEventStream.DeploymentStepSuccess, deployment);
                deployment.CurrentStep++;
                deployment.Done.Clear();
                await state.WriteStateAsync();
                await PublishAsync(deployment.CurrentStep < deployment.Steps.Count
                    ? [finished, DeploymentEvent(MarathonEventStream.DeploymentInfo, deployment)]
                    : [finished]);
                continue;
            }

            var now = time.GetUtcNow().UtcDateTime;
            var due = pending.Where(a => !_started.TryGetValue((deployment.Id, deployment.CurrentStep, a.App), out var sent) || now - sent > ResendAfter).ToList();
            foreach (var action in due)
            {
                _started[(deployment.Id, deployment.CurrentStep, action.App)] = now;
                logger.LogDebug("marathon: deployment {DeploymentId} step {Step}: {Action} {AppId}", deployment.Id, deployment.CurrentStep + 1, action.Action, action.App);
                try
                {
                    await App(action.App).RunAction(deployment.Id, action.Action);
                }
                catch (Exception ex)
                {
                    // Sent again on the next keep-alive ping (actions are idempotent).
                    _started.Remove((deployment.Id, deployment.CurrentStep, action.App));
                    logger.LogWarning(ex, "marathon: deployment {DeploymentId}: {Action} {AppId} could not start; retrying", deployment.Id, action.Action, action.App);
                }
            }

            return;
        }

        S.Deployments.Remove(deployment);
        await state.WriteStateAsync();
        foreach (var key in _started.Keys.Where(k => k.Deployment == deployment.Id).ToList())
        {
            _started.Remove(key);
        }
        logger.LogInformation("marathon: deployment {DeploymentId} succeeded", deployment.Id);
        await PublishAsync(MarathonEvent.Of(time.GetUtcNow(), MarathonEventStream.DeploymentSuccess, new JsonObject { ["id"] = deployment.Id, ["plan"] = PlanJson(deployment) }));
    }

    private AppDefinition AssignServicePorts(AppDefinition app, AppDefinition? previous, IReadOnlyDictionary<string, AppDefinition> all)
    {
        if (app.PortDefinitions.All(p => p.Port != 0))
        {
            return app;
        }

        var used = all.Values.Where(a => a.Id != app.Id).SelectMany(a => a.PortDefinitions).Select(p => p.Port)
            .Concat(app.PortDefinitions.Select(p => p.Port))
            .ToHashSet();
        var ports = new List<PortDefinition>();
        for (var i = 0; i < app.PortDefinitions.Count; i++)
        {
            var port = app.PortDefinitions[i];
            if (port.Port == 0)
            {
                var reuse = previous?.PortDefinitions.ElementAtOrDefault(i)?.Port ?? 0;
                var assigned = reuse != 0 && !used.Contains(reuse) ? reuse : FreeServicePort(used);
                used.Add(assigned);
                port = port with { Port = assigned };
            }

            ports.Add(port);
        }

        return app with { PortDefinitions = ports };
    }

    private int FreeServicePort(HashSet<int> used)
    {
        for (var port = _options.ServicePortMin; port < _options.ServicePortMax; port++)
        {
            if (!used.Contains(port))
            {
                return port;
            }
        }

        throw MarathonValidationException.Of("/portDefinitions", $"no service port is free in {_options.ServicePortMin}–{_options.ServicePortMax - 1}");
    }

    /// <summary>
    /// The apps now and after <paramref name="changes"/> (service ports assigned, versions stamped), the groups the
    /// change touches, and every group's dependencies after it (only groups with apps under them keep theirs).
    /// </summary>
    private (Dictionary<string, AppDefinition> Current, Dictionary<string, AppDefinition> Target, IReadOnlyList<string> AffectedGroups,
        Dictionary<string, IReadOnlyList<string>> TargetGroups, HashSet<string> ExplicitGroups) Target(
        IReadOnlyList<AppChange> changes, IReadOnlyCollection<string> restart, bool keepVersions, string version, GroupUpdate? groups)
    {
        var current = new Dictionary<string, AppDefinition>(_apps, StringComparer.Ordinal);
        var target = new Dictionary<string, AppDefinition>(_apps, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (change.Definition is null)
            {
                if (!target.Remove(change.AppId) && !keepVersions)
                {
                    throw new MarathonNotFoundException($"App '{change.AppId}' does not exist");
                }

                continue;
            }

            var previous = current.GetValueOrDefault(change.AppId);
            if (change.Create && previous is not null)
            {
                // Checked here, in the root's turn, so two creations of one id cannot both pass.
                throw new MarathonConflictException($"An app with id [{change.AppId}] already exists.");
            }

            var definition = AssignServicePorts(change.Definition, previous, target);
            if (!keepVersions || definition.Version is null)
            {
                var configChanged = previous is null || restart.Contains(change.AppId) || !AppPlanning.SameConfig(previous, definition);
                var lastConfig = configChanged ? version : AppGrain.ConfigVersion(previous);
                definition = definition with { Version = version, VersionInfo = new VersionInfo(version, lastConfig) };
            }

            target[change.AppId] = definition;
        }

        var targetGroups = new Dictionary<string, IReadOnlyList<string>>(S.GroupDependencies, StringComparer.Ordinal);
        var explicitGroups = new HashSet<string>(S.Groups, StringComparer.Ordinal);
        var affectedGroups = new List<string>();
        if (groups is not null)
        {
            explicitGroups.RemoveWhere(g => MarathonPaths.Within(g, groups.GroupId));
            explicitGroups.UnionWith(groups.Groups.Where(g => g != "/"));

            foreach (var id in targetGroups.Keys.Where(g => MarathonPaths.Within(g, groups.GroupId)).ToList())
            {
                targetGroups.Remove(id);
            }

            foreach (var (id, dependencies) in groups.Dependencies.Where(g => g.Value.Count > 0))
            {
                targetGroups[id] = dependencies;
            }

            affectedGroups.Add(groups.GroupId);
            affectedGroups.AddRange(groups.Groups);
        }

        foreach (var id in targetGroups.Keys.Where(g => !explicitGroups.Contains(g) && !target.Keys.Any(app => MarathonPaths.Within(app, g))).ToList())
        {
            targetGroups.Remove(id);
        }

        return (current, target, affectedGroups, targetGroups, explicitGroups);
    }

    /// <summary>
    /// Adds <paramref name="version"/> to every group that holds one of <paramref name="ids"/> (apps or groups); groups
    /// that no longer exist (neither created explicitly nor holding one of <paramref name="apps"/>) lose theirs.
    /// </summary>
    private void RecordGroupVersions(IEnumerable<string> ids, string version, IEnumerable<string> apps)
    {
        var groups = ids.SelectMany(id => MarathonPaths.GroupsOf(id).Prepend("/").Prepend(id)).ToHashSet(StringComparer.Ordinal);
        var live = apps.Concat(S.Groups).SelectMany(MarathonPaths.GroupsOf).Concat(S.Groups).Append("/").ToHashSet(StringComparer.Ordinal);
        foreach (var group in groups.Where(live.Contains))
        {
            var versions = S.GroupVersions.TryGetValue(group, out var list) ? list : S.GroupVersions[group] = [];
            if (versions.Count == 0 || versions[0] != version)
            {
                versions.Insert(0, version);
                if (versions.Count > KeptGroupVersions)
                {
                    versions.RemoveRange(KeptGroupVersions, versions.Count - KeptGroupVersions);
                }
            }
        }

        foreach (var gone in S.GroupVersions.Keys.Where(g => !live.Contains(g)).ToList())
        {
            S.GroupVersions.Remove(gone);
        }
    }

    /// <summary>The next version (unique and growing); <paramref name="peek"/> leaves it unused (a dry run).</summary>
    private string NextVersion(bool peek = false)
    {
        var now = MarathonKeys.Timestamp(time.GetUtcNow());
        if (string.CompareOrdinal(now, S.LastVersion) <= 0)
        {
            // Two changes in one millisecond (or a clock step back): versions stay unique and growing.
            var last = DateTimeOffset.Parse(S.LastVersion, System.Globalization.CultureInfo.InvariantCulture);
            now = MarathonKeys.Timestamp(last.AddMilliseconds(1));
        }

        if (!peek)
        {
            S.LastVersion = now;
        }

        return now;
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

    private IAppGrain App(string id) => GrainFactory.GetGrain<IAppGrain>(id);

    private Task PublishAsync(params MarathonEvent[] events)
    {
        var stream = this.GetStreamProvider(MarathonEventStream.ProviderName).GetStream<MarathonEvent>(DcosStreams.MarathonEvents);
        return Task.WhenAll(events.Select(e => stream.OnNextAsync(e)));
    }

    /// <summary>deployment_info / deployment_step_success: the plan and the step it is at.</summary>
    private MarathonEvent DeploymentEvent(string type, DeploymentRecord deployment)
    {
        var step = deployment.CurrentStep < deployment.Steps.Count ? deployment.Steps[deployment.CurrentStep].Actions : [];
        return MarathonEvent.Of(time.GetUtcNow(), type, new JsonObject
        {
            ["plan"] = PlanJson(deployment),
            ["currentStep"] = new JsonObject { ["actions"] = ActionsJson(step) },
        });
    }

    private static JsonObject PlanJson(DeploymentRecord deployment) => new()
    {
        ["id"] = deployment.Id,
        ["version"] = deployment.Version,
        ["steps"] = new JsonArray(deployment.Steps.Select(s => (JsonNode)new JsonObject { ["actions"] = ActionsJson(s.Actions) }).ToArray()),
    };

    private static JsonArray ActionsJson(IEnumerable<PlannedAction> actions) =>
        new(actions.Select(a => (JsonNode)new JsonObject { ["action"] = a.Action, ["app"] = a.App }).ToArray());
}

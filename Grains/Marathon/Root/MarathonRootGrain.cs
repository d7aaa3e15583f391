using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using OrleansDcos.Grains.Marathon.Apps;
using OrleansDcos.Grains.Marathon.Deployments;
using OrleansDcos.Scheduling.Deployment;

namespace OrleansDcos.Grains.Marathon.Root;

/// <summary>
/// Marathon's root: the apps that exist (definitions cached from their grains), deployments with their plans and
/// locks, rollback, and service-port assignment. Deployments are durable: after a failover the running step's
/// actions are sent again (they are idempotent) and the apps' definitions re-applied.
/// </summary>
internal sealed partial class MarathonRootGrain(
    [PersistentState("marathon-root")] IPersistentState<MarathonRootState> state,
    IOptions<MarathonOptions> options,
    TimeProvider time,
    ILogger<MarathonRootGrain> logger) : Grain, IMarathonRootGrain
{
    private readonly MarathonOptions _options = options.Value;
    private readonly Dictionary<string, AppDefinition> _apps = new(StringComparer.Ordinal);
    /// <summary>Each app's latest task counts (reported by the apps; not durable: asked again at activation).</summary>
    private readonly Dictionary<string, AppCounts> _counts = new(StringComparer.Ordinal);
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
    public Task<GroupsInfo> GetGroups() => Task.FromResult(new GroupsInfo(
        S.Groups.Order(StringComparer.Ordinal).ToList(),
        S.GroupDependencies.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        S.GroupVersions.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value.ToList(), StringComparer.Ordinal)));

    /// <inheritdoc />
    public Task SchedulerRestarted()
    {
        foreach (var id in S.AppIds.Concat(S.Deployments.SelectMany(d => d.Targets.Keys)).Distinct(StringComparer.Ordinal))
        {
            _ = App(id).Resync();
        }

        return Task.CompletedTask;
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
                var lastConfig = configChanged ? version : AppVersions.ConfigVersion(previous);
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

    private IAppGrain App(string id) => GrainFactory.GetGrain<IAppGrain>(id);

    private Task PublishAsync(params MarathonEvent[] events)
    {
        var stream = this.GetStreamProvider(MarathonEventStream.ProviderName).GetStream<MarathonEvent>(DcosStreams.MarathonEvents);
        return Task.WhenAll(events.Select(e => stream.OnNextAsync(e)));
    }

}

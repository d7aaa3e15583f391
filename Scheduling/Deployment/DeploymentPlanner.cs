
namespace OrleansDcos.Scheduling.Deployment;

/// <summary>
/// Turns (current apps, target apps) into Marathon's steps: first the apps that go away are stopped (those depending on
/// others first), then new apps are registered, then apps are scaled or restarted level by level in dependency order
/// (an app's dependencies are done before it starts). Pure.
/// </summary>
public static class DeploymentPlanner
{
    /// <summary>
    /// The steps from <paramref name="current"/> to <paramref name="target"/>; empty when nothing changes. Groups'
    /// dependencies (group id → the ids it depends on), before and after, hold for every app under each group.
    /// </summary>
    /// <exception cref="DependencyCycleException">The target's dependencies form a cycle.</exception>
    public static IReadOnlyList<PlannedStep> Plan(
        IReadOnlyDictionary<string, PlannedApp> current,
        IReadOnlyDictionary<string, PlannedApp> target,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? currentGroups = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? targetGroups = null)
    {
        var steps = new List<PlannedStep>();
        var removed = current.Keys.Where(id => !target.ContainsKey(id)).ToHashSet(StringComparer.Ordinal);
        if (removed.Count > 0)
        {
            // Dependents stop before what they depend on: reverse dependency order over the apps being removed.
            foreach (var level in DependencyLevels(current, currentGroups).Reverse())
            {
                var stops = level.Where(removed.Contains).Select(id => new PlannedAction(DeploymentActions.Stop, id)).ToList();
                if (stops.Count > 0)
                {
                    steps.Add(new PlannedStep(stops));
                }
            }
        }

        var added = target.Keys.Where(id => !current.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
        if (added.Count > 0)
        {
            steps.Add(new PlannedStep(added.Select(id => new PlannedAction(DeploymentActions.Start, id)).ToList()));
        }

        foreach (var level in DependencyLevels(target, targetGroups))
        {
            var actions = new List<PlannedAction>();
            foreach (var id in level)
            {
                var next = target[id];
                if (!current.TryGetValue(id, out var previous))
                {
                    if (next.Instances > 0)
                    {
                        actions.Add(new PlannedAction(DeploymentActions.Scale, id));
                    }
                }
                else if (previous.Config != next.Config)
                {
                    actions.Add(new PlannedAction(DeploymentActions.Restart, id));
                }
                else if (previous.Instances != next.Instances)
                {
                    actions.Add(new PlannedAction(DeploymentActions.Scale, id));
                }
            }

            if (actions.Count > 0)
            {
                steps.Add(new PlannedStep(actions));
            }
        }

        return steps;
    }

    /// <summary>
    /// The apps in levels: every app comes after the apps it depends on, its own dependencies and those of the groups it
    /// is in (a dependency on a group means every app under it; dependencies on ids that are not there are ignored).
    /// Ids within a level are ordered.
    /// </summary>
    /// <exception cref="DependencyCycleException">The dependencies form a cycle.</exception>
    public static IReadOnlyList<IReadOnlyList<string>> DependencyLevels(
        IReadOnlyDictionary<string, PlannedApp> apps, IReadOnlyDictionary<string, IReadOnlyList<string>>? groups = null)
    {
        var edges = apps.Keys.ToDictionary(id => id, id => ResolveDependencies(apps[id], apps.Keys, groups), StringComparer.Ordinal);
        var level = new Dictionary<string, int>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);

        int Depth(string id, List<string> trail)
        {
            if (level.TryGetValue(id, out var known))
            {
                return known;
            }

            if (!visiting.Add(id))
            {
                throw new DependencyCycleException(trail.SkipWhile(t => t != id).Append(id).ToArray());
            }

            trail.Add(id);
            var depth = 0;
            foreach (var dependency in edges[id])
            {
                depth = Math.Max(depth, Depth(dependency, trail) + 1);
            }

            trail.RemoveAt(trail.Count - 1);
            visiting.Remove(id);
            level[id] = depth;
            return depth;
        }

        foreach (var id in apps.Keys.Order(StringComparer.Ordinal))
        {
            Depth(id, []);
        }

        return level.GroupBy(kv => kv.Value).OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<string>)g.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList())
            .ToList();
    }

    /// <summary>
    /// The apps <paramref name="app"/> depends on among <paramref name="ids"/> (a group id stands for every app under
    /// it): its own dependencies and those of every group it is in.
    /// </summary>
    public static IReadOnlyList<string> ResolveDependencies(PlannedApp app, IEnumerable<string> ids, IReadOnlyDictionary<string, IReadOnlyList<string>>? groups = null)
    {
        var all = ids as ICollection<string> ?? ids.ToList();
        var inherited = groups is null ? [] : MarathonPaths.GroupsOf(app.Id).SelectMany(g => groups.GetValueOrDefault(g) ?? []);
        return app.Dependencies.Concat(inherited)
            .SelectMany(d => all.Where(id => MarathonPaths.Within(id, d)))
            .Where(id => id != app.Id)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}

using System.Text.Json;
using OrleansDcos.Scheduling.Deployment;

namespace OrleansDcos.Grains.Marathon.Deployments;

/// <summary>Marathon's apps for the pure deployment planner: what of a definition it plans on, and its refusal of a cycle as Marathon answers it.</summary>
public static class AppPlanning
{
    /// <summary>The steps from <paramref name="current"/> to <paramref name="target"/> (<see cref="DeploymentPlanner.Plan"/>).</summary>
    /// <exception cref="MarathonValidationException">The dependencies form a cycle (<c>/dependencies</c>, 422).</exception>
    public static IReadOnlyList<PlannedStep> Plan(
        IReadOnlyDictionary<string, AppDefinition> current,
        IReadOnlyDictionary<string, AppDefinition> target,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? currentGroups = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? targetGroups = null)
    {
        try
        {
            return DeploymentPlanner.Plan(Of(current), Of(target), currentGroups, targetGroups);
        }
        catch (DependencyCycleException ex)
        {
            throw MarathonValidationException.Of("/dependencies", ex.Message);
        }
    }

    /// <summary>The apps as the planner sees them.</summary>
    public static IReadOnlyDictionary<string, PlannedApp> Of(IReadOnlyDictionary<string, AppDefinition> apps) =>
        apps.ToDictionary(kv => kv.Key, kv => Of(kv.Value), StringComparer.Ordinal);

    /// <summary>The app as the planner sees it.</summary>
    public static PlannedApp Of(AppDefinition app) => new(app.Id, app.Dependencies, app.Instances, Config(app));

    /// <summary>True when the two definitions differ at most in instances (and version stamps): a scale, not a restart.</summary>
    public static bool SameConfig(AppDefinition a, AppDefinition b) => Config(a) == Config(b);

    /// <summary>The definition apart from instances and versions, with env and labels in one order.</summary>
    private static string Config(AppDefinition app) =>
        JsonSerializer.Serialize(app with
        {
            Instances = 0,
            Version = null,
            VersionInfo = null,
            Env = new SortedDictionary<string, string>(app.Env.ToDictionary(), StringComparer.Ordinal),
            Labels = new SortedDictionary<string, string>(app.Labels.ToDictionary(), StringComparer.Ordinal),
        });
}

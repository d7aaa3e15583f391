using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Marathon.Deployments;
using OrleansDcos.Scheduling.Deployment;
using Xunit;

namespace OrleansDcos.Tests.Unit.Marathon;

/// <summary>Deployment plans: stops, starts, scales and restarts, in dependency order.</summary>
[Trait("Area", "Marathon")]
public sealed class DeploymentPlannerTests
{
    private static AppDefinition App(string id, int instances = 1, string cmd = "sleep 100", params string[] dependencies) =>
        new() { Id = id, Cmd = cmd, Instances = instances, Dependencies = dependencies };

    private static Dictionary<string, AppDefinition> Definitions(params AppDefinition[] apps) => apps.ToDictionary(a => a.Id);

    /// <summary>The apps as the pure planner sees them (through Marathon's mapping).</summary>
    private static IReadOnlyDictionary<string, PlannedApp> Apps(params AppDefinition[] apps) => AppPlanning.Of(Definitions(apps));

    private static string[][] Render(IReadOnlyList<PlannedStep> steps) =>
        steps.Select(s => s.Actions.Select(a => $"{a.Action} {a.App}").ToArray()).ToArray();

    [Fact]
    public void New_apps_start_then_scale_in_dependency_order()
    {
        var plan = DeploymentPlanner.Plan(Apps(), Apps(App("/s/db"), App("/s/api", 2, "x", "/s/db"), App("/s/web", 1, "x", "/s/api")));
        Assert.Equal(
            [
                ["StartApplication /s/api", "StartApplication /s/db", "StartApplication /s/web"],
                ["ScaleApplication /s/db"],
                ["ScaleApplication /s/api"],
                ["ScaleApplication /s/web"],
            ],
            Render(plan));
    }

    [Fact]
    public void Removed_apps_stop_in_reverse_dependency_order()
    {
        var plan = DeploymentPlanner.Plan(Apps(App("/s/db"), App("/s/api", 1, "x", "/s/db")), Apps());
        Assert.Equal([["StopApplication /s/api"], ["StopApplication /s/db"]], Render(plan));
    }

    [Fact]
    public void An_instance_change_is_a_scale_and_a_config_change_a_restart()
    {
        var current = Apps(App("/a", 1), App("/b", 1));
        var plan = DeploymentPlanner.Plan(current, Apps(App("/a", 5), App("/b", 1, "sleep 200")));
        Assert.Equal([["RestartApplication /b", "ScaleApplication /a"]], Render(plan).Select(s => s.Order().ToArray()).ToArray());
        Assert.Empty(DeploymentPlanner.Plan(current, current));
    }

    [Fact]
    public void A_group_dependency_covers_every_app_under_it()
    {
        var levels = DeploymentPlanner.DependencyLevels(Apps(App("/db/pg"), App("/db/redis"), App("/web", 1, "x", "/db")));
        Assert.Equal([["/db/pg", "/db/redis"], ["/web"]], levels.Select(l => l.ToArray()).ToArray());
    }

    [Fact]
    public void A_cycle_is_refused_naming_it_and_Marathon_answers_it_on_dependencies()
    {
        var cycle = Assert.Throws<DependencyCycleException>(() =>
            DeploymentPlanner.Plan(Apps(), Apps(App("/a", 1, "x", "/b"), App("/b", 1, "x", "/a"))));
        Assert.Equal(["/a", "/b", "/a"], cycle.Cycle);

        var refused = Assert.Throws<MarathonValidationException>(() =>
            AppPlanning.Plan(Definitions(), Definitions(App("/a", 1, "x", "/b"), App("/b", 1, "x", "/a"))));
        Assert.Contains("/a -> /b -> /a", refused.Message);
        Assert.Equal("/dependencies", refused.Details.Single().Path);
    }

    [Fact]
    public void Env_order_does_not_make_a_scale_a_restart()
    {
        var a = App("/a") with { Env = new Dictionary<string, string> { ["X"] = "1", ["Y"] = "2" } };
        var b = App("/a", 3) with { Env = new Dictionary<string, string> { ["Y"] = "2", ["X"] = "1" } };
        Assert.Equal([["ScaleApplication /a"]], Render(DeploymentPlanner.Plan(Apps(a), Apps(b))));
    }

    [Fact]
    public void A_groups_dependencies_hold_for_every_app_under_it_including_nested_groups()
    {
        var groups = new Dictionary<string, IReadOnlyList<string>> { ["/shop/jobs"] = ["/shop/front"], ["/shop/front"] = ["/shop/db"] };
        var apps = Apps(App("/shop/db"), App("/shop/front/web"), App("/shop/jobs/worker"), App("/shop/jobs/nightly/report"));
        Assert.Equal([["/shop/db"], ["/shop/front/web"], ["/shop/jobs/nightly/report", "/shop/jobs/worker"]],
            DeploymentPlanner.DependencyLevels(apps, groups).Select(l => l.ToArray()).ToArray());

        // Removal stops the dependents first, by the groups' dependencies as they were.
        Assert.Equal([["StopApplication /shop/jobs/nightly/report", "StopApplication /shop/jobs/worker"], ["StopApplication /shop/front/web"], ["StopApplication /shop/db"]],
            Render(DeploymentPlanner.Plan(apps, Apps(), currentGroups: groups)));
        Assert.Equal(["/shop/jobs", "/shop"], MarathonPaths.GroupsOf("/shop/jobs/worker"));
    }

    [Fact]
    public void A_cycle_through_groups_is_refused()
    {
        var groups = new Dictionary<string, IReadOnlyList<string>> { ["/x"] = ["/y"], ["/y"] = ["/x"] };
        Assert.Throws<DependencyCycleException>(() => DeploymentPlanner.Plan(Apps(), Apps(App("/x/a"), App("/y/b")), targetGroups: groups));
    }
}

using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Silo.Api;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// The cluster's scalar resources for Prometheus: capacity by resource, and used (by live tasks) and offered
/// (outstanding offers) by resource and role.
/// </summary>
internal static class ResourceMetrics
{
    private static readonly string[] Scalars = ["cpus", "mem", "disk", "gpus"];

    /// <summary>The three gauges of <paramref name="view"/>.</summary>
    public static IReadOnlyList<LabelledGauge> Of(MasterView view)
    {
        var capacity = Scalars.Select(name => (new[] { name }, view.Allocation.Agents.Sum(a => Amount(a.Total, name)))).ToList();
        var used = ByRole(view.Tasks.Where(t => t.Task.State.IsLive()).Select(t => (t.Task.Role, t.Task.Resources)));
        var offered = ByRole(view.Allocation.Offers.Select(o => (o.Role, o.Resources)));
        return
        [
            new LabelledGauge("mesos_master_resources_capacity", "Scalar resources of the registered agents", ["resource"], capacity),
            new LabelledGauge("mesos_master_resources_used", "Scalar resources used by live tasks, by role", ["resource", "role"], used),
            new LabelledGauge("mesos_master_resources_offered", "Scalar resources in outstanding offers, by role", ["resource", "role"], offered),
        ];
    }

    private static List<(string[] Labels, double Value)> ByRole(IEnumerable<(string Role, Resources Resources)> items) =>
        [.. items.GroupBy(i => i.Role, StringComparer.Ordinal)
            .SelectMany(g => Scalars.Select(name => (new[] { name, g.Key }, g.Sum(i => Amount(i.Resources, name)))))
            .Where(s => s.Item2 > 0)];

    private static double Amount(Resources resources, string name) =>
        resources.Where(r => r.Kind == ResourceKind.Scalar && r.Name == name).Sum(r => r.Scalar.ToDouble());
}

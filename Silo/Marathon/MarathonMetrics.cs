using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Scheduling.Deployment;
using OrleansDcos.Silo.Api;
using OrleansDcos.Silo.Hosting;
using OrleansDcos.Silo.Master;

namespace OrleansDcos.Silo.Marathon;

/// <summary>
/// Marathon's <c>GET /metrics</c> (Dropwizard's JSON: gauges, counters, and empty histograms, meters and timers; a
/// Prometheus scraper, asking for text, gets every metric of the silo in Prometheus' format, as from
/// <c>GET /metrics/prometheus</c>: see <see cref="PrometheusExposition"/>). Gauges are read at request
/// time from the root (apps, groups, deployments, instance counts) and the scheduler (queue); counters are the
/// scheduler's since it activated (offers, launches, kills, status updates) and this silo's HTTP requests.
/// </summary>
public static class MarathonMetrics
{
    /// <summary>Counts the <c>/v2</c> requests this silo serves, by status class, and the open event streams.</summary>
    public static IApplicationBuilder UseMarathonHttpMetrics(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments("/v2"))
        {
            await next(context);
            return;
        }

        var http = context.RequestServices.GetRequiredService<MarathonHttpMetrics>();
        var stream = context.Request.Path.StartsWithSegments("/v2/events");
        http.Started(stream);
        try
        {
            await next(context);
        }
        finally
        {
            http.Finished(stream, context.Response.StatusCode);
        }
    });

    /// <summary>Maps <c>/metrics</c> and <c>/metrics/prometheus</c>.</summary>
    public static IEndpointRouteBuilder MapMarathonMetrics(this IEndpointRouteBuilder endpoints)
    {
        PrometheusExposition.Configure();
        endpoints.MapGet("/metrics", async (HttpContext context, IGrainFactory grains, MarathonHttpMetrics http, SiloUptime uptime) =>
        {
            if (PrometheusExposition.Wanted(context.Request))
            {
                await WritePrometheusAsync(context, grains, http, uptime);
                return Results.Empty;
            }

            var (gauges, counters) = await ReadAsync(grains, http, uptime);
            return Results.Json(new JsonObject
            {
                ["version"] = "4.0.0",
                ["gauges"] = Section(gauges, "value"),
                ["counters"] = Section(counters, "count"),
                ["histograms"] = new JsonObject(),
                ["meters"] = new JsonObject(),
                ["timers"] = new JsonObject(),
            });
        });
        endpoints.MapGet("/metrics/prometheus", async (HttpContext context, IGrainFactory grains, MarathonHttpMetrics http, SiloUptime uptime) =>
        {
            await WritePrometheusAsync(context, grains, http, uptime);
            return Results.Empty;
        });
        return endpoints;
    }

    /// <summary>
    /// Every metric in Prometheus' format: the master's (Mesos' names, <c>master/slaves_active</c> as
    /// <c>mesos_master_slaves_active</c>), Marathon's, and what prometheus-net gathers (meters, runtime, process).
    /// </summary>
    private static async Task WritePrometheusAsync(HttpContext context, IGrainFactory grains, MarathonHttpMetrics http, SiloUptime uptime)
    {
        var (gauges, counters) = await ReadAsync(grains, http, uptime);
        var services = context.RequestServices;
        var view = await MasterView.ReadAsync(grains);
        var master = MasterEndpoints.MetricsJson(view, services.GetRequiredService<ClusterLeader>().IsSelf, uptime,
            services.GetRequiredService<TaskStateCounters>());
        await PrometheusExposition.WriteAsync(
            context,
            master.Select(kv => ("mesos_" + MesosName(kv.Key), $"Mesos' {kv.Key}", kv.Value!.Deserialize<double>()))
                .Concat(gauges.Select(kv => (PrometheusName(kv.Key), $"Marathon's {kv.Key}", kv.Value))),
            counters.Select(kv => (PrometheusName(kv.Key), $"Marathon's {kv.Key}", kv.Value)),
            ResourceMetrics.Of(view));
    }

    /// <summary>A Mesos gauge's name in Prometheus' manner: <c>master/cpus_total</c> → <c>master_cpus_capacity</c> (<c>_total</c> is for counters).</summary>
    private static string MesosName(string name) =>
        PrometheusExposition.Name(name.EndsWith("_total", StringComparison.Ordinal) ? name[..^"_total".Length] + "_capacity" : name);

    /// <summary>A Marathon name in Prometheus' manner: without its type word (<c>marathon.apps.active.gauge</c> → <c>marathon_apps_active</c>).</summary>
    private static string PrometheusName(string name) =>
        PrometheusExposition.Name(string.Join('.', name.Split('.').Where(part => part is not ("gauge" or "counter"))));

    private static async Task<(SortedDictionary<string, double> Gauges, SortedDictionary<string, double> Counters)> ReadAsync(IGrainFactory grains, MarathonHttpMetrics http, SiloUptime uptime)
    {
        var root = grains.GetGrain<IMarathonRootGrain>(MarathonKeys.Root);
        var appsTask = root.ListAppViews();
        var deploymentsTask = root.ListDeployments();
        var schedulerTask = grains.GetGrain<IMarathonSchedulerGrain>(MarathonKeys.Scheduler).GetMetrics();
        var apps = await appsTask;
        var deployments = await deploymentsTask;
        var scheduler = await schedulerTask;

        // Apps the root has not heard counts from since it activated are asked directly.
        var counts = await Task.WhenAll(apps.Select(async a => a.Counts
            ?? AppCounts.Of(a.Definition, (await grains.GetGrain<IAppGrain>(a.Definition!.Id).GetStatus()).Instances)));
        var groups = apps.SelectMany(a => MarathonPaths.GroupsOf(a.Definition!.Id).Append("/")).ToHashSet(StringComparer.Ordinal);
        var gauges = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["marathon.apps.active.gauge"] = apps.Count,
            ["marathon.groups.active.gauge"] = groups.Count,
            ["marathon.deployments.active.gauge"] = deployments.Count,
            ["marathon.instances.running.gauge"] = counts.Sum(c => c.Running),
            ["marathon.instances.staged.gauge"] = counts.Sum(c => c.Staged),
            ["marathon.instances.healthy.gauge"] = counts.Sum(c => c.Healthy),
            ["marathon.instances.unhealthy.gauge"] = counts.Sum(c => c.Unhealthy),
            ["marathon.instances.queued.gauge"] = scheduler.InstancesQueued,
            ["marathon.instances.launch-overdue.gauge"] = scheduler.InstancesLaunchOverdue,
            ["marathon.mesos.subscribed.gauge"] = scheduler.Subscribed ? 1 : 0,
            ["marathon.leadership.duration.gauge.seconds"] = Math.Round(scheduler.Active.TotalSeconds, 3),
            ["marathon.uptime.gauge.seconds"] = Math.Round(uptime.Elapsed.TotalSeconds, 3),
            ["marathon.http.requests.active.gauge"] = http.ActiveRequests,
            ["marathon.http.event-streams.active.gauge"] = http.ActiveEventStreams,
        };
        var counters = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in scheduler.Counters)
        {
            counters[name] = value;
        }

        foreach (var (name, value) in http.Counters())
        {
            counters[name] = value;
        }

        return (gauges, counters);
    }

    private static JsonObject Section(SortedDictionary<string, double> values, string field)
    {
        var section = new JsonObject();
        foreach (var (name, value) in values)
        {
            section[name] = new JsonObject { [field] = value };
        }

        return section;
    }
}

using OrleansDcos.NodeDaemon.Metrics;
using Prometheus;

namespace OrleansDcos.Silo.Api;

/// <summary>
/// The silo's metrics in Prometheus' text format, written by prometheus-net from its default registry: the values
/// read at scrape time (the master's <c>mesos_master_*</c>, Marathon's <c>marathon_*</c>) set as gauges and counters
/// just before, next to what prometheus-net gathers itself — every .NET meter (Orleans' own, ASP.NET Core's), the
/// runtime and the process — and the project's own meters (the master's offers and allocation rounds, jobs, DNS, the
/// embedded agent's tasks) through <see cref="MeterBridge"/>.
/// </summary>
internal static class PrometheusExposition
{
    /// <summary>Prometheus' text format.</summary>
    public const string ContentType = PrometheusText.ContentType;

    /// <summary>
    /// Whether the client asks for Prometheus' format rather than JSON: a scraper sends
    /// <c>Accept: application/openmetrics-text…, text/plain;version=0.0.4</c>; a Marathon client JSON or anything.
    /// </summary>
    public static bool Wanted(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("openmetrics-text", StringComparison.OrdinalIgnoreCase)
            || (accept.Contains("text/plain", StringComparison.OrdinalIgnoreCase) && !accept.Contains("application/json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A metric name as Prometheus allows it: <c>master/tasks_running</c> → <c>master_tasks_running</c>.</summary>
    public static string Name(string name) => MeterBridge.Name(name);

    /// <summary>Sets prometheus-net up once, before its default registry is first used.</summary>
    public static void Configure() => PrometheusText.Configure();

    /// <summary>Sets <paramref name="gauges"/>, <paramref name="counters"/> (named with <c>_total</c>) and the <paramref name="labelled"/> gauges, and writes every metric.</summary>
    public static async Task WriteAsync(HttpContext context, IEnumerable<(string Name, string Help, double Value)> gauges, IEnumerable<(string Name, string Help, double Value)> counters,
        IEnumerable<LabelledGauge>? labelled = null)
    {
        Configure();
        foreach (var (name, help, value) in gauges)
        {
            Metrics.CreateGauge(name, help).Set(value); // the registry hands back the gauge of a name it has
        }

        foreach (var gauge in labelled ?? [])
        {
            var metric = Metrics.CreateGauge(gauge.Name, gauge.Help, gauge.LabelNames);
            var now = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (labels, value) in gauge.Series)
            {
                metric.WithLabels(labels).Set(value);
                now.Add(string.Join('\0', labels));
            }

            foreach (var stale in metric.GetAllLabelValues().Where(values => !now.Contains(string.Join('\0', values))).ToList())
            {
                metric.RemoveLabelled(stale); // a role with nothing left
            }
        }

        foreach (var (name, help, value) in counters)
        {
            Metrics.CreateCounter(name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total", help).IncTo(value);
        }

        context.Response.ContentType = ContentType;
        await PrometheusText.WriteAsync(context.Response.Body, context.RequestAborted);
    }
}

using Prometheus;

namespace OrleansDcos.Silo.Api;

/// <summary>
/// The silo's metrics in Prometheus' text format, written by prometheus-net from its default registry: the values
/// read at scrape time (the master's <c>mesos_master_*</c>, Marathon's <c>marathon_*</c>) set as gauges and counters
/// just before, next to what prometheus-net gathers itself — every .NET meter (Orleans' own, ASP.NET Core's, the
/// silo's DNS server's), the runtime and the process.
/// </summary>
internal static class PrometheusExposition
{
    /// <summary>Prometheus' text format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly Lazy<bool> Configured = new(() =>
    {
        // .NET's System.Runtime meter is left out (its *_count gauges break Prometheus' naming rules; prometheus-net's
        // own process_* metrics say much the same), .NET's Private.* meters (internal), and EventCounters (the same values once more).
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true });
        Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = instrument =>
            instrument.Meter.Name != "System.Runtime" && !instrument.Meter.Name.StartsWith("Private.", StringComparison.Ordinal));
        return true;
    });


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
    public static string Name(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        return char.IsAsciiDigit(chars[0]) ? "_" + new string(chars) : new string(chars);
    }

    /// <summary>Sets prometheus-net up once, before its default registry is first used.</summary>
    public static void Configure() => _ = Configured.Value;

    /// <summary>Sets <paramref name="gauges"/> and <paramref name="counters"/> (counters named with <c>_total</c>) and writes every metric.</summary>
    public static async Task WriteAsync(HttpContext context, IEnumerable<(string Name, string Help, double Value)> gauges, IEnumerable<(string Name, string Help, double Value)> counters)
    {
        Configure();
        foreach (var (name, help, value) in gauges)
        {
            Metrics.CreateGauge(name, help).Set(value); // the registry hands back the gauge of a name it has
        }

        foreach (var (name, help, value) in counters)
        {
            Metrics.CreateCounter(name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total", help).IncTo(value);
        }

        context.Response.ContentType = ContentType;
        await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
    }
}

using Prometheus;

namespace OrleansDcos.NodeDaemon.Metrics;

/// <summary>
/// prometheus-net set up the same way in every process (silo and node daemon), and its default registry written in
/// Prometheus' text format: .NET's System.Runtime meter is left out (its <c>*_count</c> gauges break Prometheus'
/// naming rules; prometheus-net's own <c>process_*</c> metrics say much the same), .NET's internal Private.* meters,
/// EventCounters (the same values once more), and the project's own meters, which <see cref="MeterBridge"/> exports.
/// Added: the live and free bytes of the last full blocking GC (<c>dotnet_gc_last_full_*_bytes</c>).
/// </summary>
public static class PrometheusText
{
    /// <summary>Prometheus' text format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly Lazy<bool> Configured = new(() =>
    {
        Prometheus.Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true });
        Prometheus.Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = instrument =>
            instrument.Meter.Name != "System.Runtime" && !instrument.Meter.Name.StartsWith("Private.", StringComparison.Ordinal)
            && !instrument.Meter.Name.StartsWith(MeterBridge.MeterPrefix, StringComparison.Ordinal));
        MeterBridge.Start();

        // What the heap keeps: the live bytes of the last full blocking GC (a server GC's heap size counts the free space
        // it has not handed back, so it overstates what a process holds on to), and that free space.
        var live = Prometheus.Metrics.CreateGauge("dotnet_gc_last_full_live_bytes", "Bytes of live objects after the last full blocking GC (0 before the first)");
        var fragmented = Prometheus.Metrics.CreateGauge("dotnet_gc_last_full_fragmented_bytes", "Free space in the GC heap after the last full blocking GC (0 before the first)");
        Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            var full = GC.GetGCMemoryInfo(GCKind.FullBlocking);
            live.Set(full.PromotedBytes);
            fragmented.Set(full.FragmentedBytes);
        });
        return true;
    });

    /// <summary>Sets prometheus-net up once, before its default registry is first used.</summary>
    public static void Configure() => _ = Configured.Value;

    /// <summary>Writes every metric of the default registry to <paramref name="body"/>.</summary>
    public static Task WriteAsync(Stream body, CancellationToken cancellationToken)
    {
        Configure();
        return Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(body, cancellationToken);
    }
}

using System.Diagnostics.Metrics;
using OrleansDcos.NodeDaemon.Metrics;
using Xunit;

namespace OrleansDcos.Tests.Unit.NodeDaemon;

/// <summary>The project's meters as Prometheus metrics: counters, histograms in seconds, observables whose ended series disappear.</summary>
public sealed class MeterBridgeTests
{
    [Fact]
    public async Task Counters_histograms_and_observables_come_out_in_Prometheus_names_and_ended_series_go()
    {
        PrometheusText.Configure();
        using var meter = new Meter("OrleansDcos.Test." + Guid.NewGuid().ToString("N"));
        var counter = meter.CreateCounter<long>("test.bridge.events", "{event}", "Events");
        var histogram = meter.CreateHistogram<double>("test.bridge.wait.duration", "s", "Waits",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1] });
        var live = new List<string> { "a", "b" };
        meter.CreateObservableGauge("test.bridge.held", () => live.Select(id => new Measurement<double>(live.IndexOf(id) + 10, new KeyValuePair<string, object?>("task_id", id))), "By", "Held");

        counter.Add(2, new KeyValuePair<string, object?>("kind", "x"));
        counter.Add(3, new KeyValuePair<string, object?>("kind", "x"));
        histogram.Record(0.7);
        var first = await ScrapeAsync();

        Assert.Contains("# TYPE test_bridge_events_total counter\ntest_bridge_events_total{kind=\"x\"} 5\n", first, StringComparison.Ordinal);
        Assert.Contains("test_bridge_wait_duration_seconds_bucket{le=\"0.5\"} 0\n", first, StringComparison.Ordinal);
        Assert.Contains("test_bridge_wait_duration_seconds_bucket{le=\"1\"} 1\n", first, StringComparison.Ordinal);
        Assert.Contains("test_bridge_held_bytes{task_id=\"a\"} 10\n", first, StringComparison.Ordinal);
        Assert.Contains("test_bridge_held_bytes{task_id=\"b\"} 11\n", first, StringComparison.Ordinal);

        live.Remove("a");
        var second = await ScrapeAsync();

        Assert.DoesNotContain("test_bridge_held_bytes{task_id=\"a\"}", second, StringComparison.Ordinal);
        Assert.Contains("test_bridge_held_bytes{task_id=\"b\"} 10\n", second, StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync()
    {
        using var body = new MemoryStream();
        await PrometheusText.WriteAsync(body, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }
}

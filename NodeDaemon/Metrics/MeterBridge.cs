using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace OrleansDcos.NodeDaemon.Metrics;

/// <summary>
/// The project's own .NET meters (<c>OrleansDcos.*</c>) as Prometheus metrics in prometheus-net's default registry,
/// named after the instrument alone (<c>mesos.master.offers.made</c> → <c>mesos_master_offers_made_total</c>) with
/// the measurements' tags as labels: counters as counters, histograms as histograms (seconds-valued ones named
/// <c>…_seconds</c>), observable gauges and counters read at each scrape with the series no longer observed removed
/// (a task that ended). prometheus-net's own adapter would export a counter as a gauge prefixed with the meter's
/// name, and drops what is recorded before the first scrape; this listener starts with the process.
/// </summary>
public sealed class MeterBridge
{
    /// <summary>The meters this bridge exports (prometheus-net's adapter should leave them out).</summary>
    public const string MeterPrefix = "OrleansDcos.";

    private static readonly Lazy<MeterBridge> Instance = new(() => new MeterBridge());

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Exported> _exported = new();
    private readonly Lock _collecting = new();

    private MeterBridge()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith(MeterPrefix, StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
        Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(Collect);
    }

    /// <summary>Starts listening (once per process); the default registry reads the observable instruments before each scrape.</summary>
    public static void Start() => _ = Instance.Value;

    /// <summary>A metric name as Prometheus allows it: <c>master/tasks_running</c> → <c>master_tasks_running</c>.</summary>
    public static string Name(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        return char.IsAsciiDigit(chars[0]) ? "_" + new string(chars) : new string(chars);
    }

    /// <summary>Reads every observable instrument now, and drops the series none of them reported.</summary>
    private void Collect()
    {
        lock (_collecting)
        {
            foreach (var exported in _exported.Values.Where(e => e.Observable))
            {
                exported.Seen.Clear();
            }

            _listener.RecordObservableInstruments();
            foreach (var exported in _exported.Values.Where(e => e.Observable))
            {
                if (exported.Gauge is { } gauge)
                {
                    DropUnseen(gauge, exported.Seen);
                }

                if (exported.Counter is { } counter)
                {
                    DropUnseen(counter, exported.Seen);
                }
            }
        }
    }

    /// <summary>Removes the series of <paramref name="collector"/> whose labels were not <paramref name="seen"/> in this read.</summary>
    private static void DropUnseen<TChild>(Collector<TChild> collector, HashSet<string> seen)
        where TChild : ChildBase
    {
        foreach (var stale in collector.GetAllLabelValues().Where(values => !seen.Contains(Key(values))).ToList())
        {
            collector.RemoveLabelled(stale);
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Labels in the order of their names (a measurement's tags come in any order); no LINQ on this hot path.
        var labels = tags.Length == 0 ? [] : new string[tags.Length];
        var keys = tags.Length == 0 ? [] : new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            var j = i;
            for (; j > 0 && string.CompareOrdinal(keys[j - 1], tags[i].Key) > 0; j--)
            {
                keys[j] = keys[j - 1];
                labels[j] = labels[j - 1];
            }

            keys[j] = tags[i].Key;
            labels[j] = tags[i].Value?.ToString() ?? string.Empty;
        }

        try
        {
            var exported = _exported.GetOrAdd(instrument, static (i, k) => Export(i, [.. k.Select(Name)]), keys);
            switch (instrument)
            {
                case Counter<long> or Counter<int> or Counter<double>:
                    exported.Counter!.WithLabels(labels).Inc(value);
                    break;
                case ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double>:
                    exported.Counter!.WithLabels(labels).IncTo(value);
                    exported.Seen.Add(Key(labels));
                    break;
                case ObservableGauge<long> or ObservableGauge<int> or ObservableGauge<double>:
                    exported.Gauge!.WithLabels(labels).Set(value);
                    exported.Seen.Add(Key(labels));
                    break;
                case Histogram<double>:
                    exported.Histogram!.WithLabels(labels).Observe(value);
                    break;
            }
        }
        catch (ArgumentException)
        {
            // A measurement whose tags differ from the instrument's first: not exported (a throw here would switch the instrument off).
        }
    }

    private static string Key(string[] labels) => string.Join('\0', labels);

    private static Exported Export(Instrument instrument, string[] labelNames)
    {
        var name = Unit(Name(instrument.Name), instrument.Unit);
        var help = string.IsNullOrEmpty(instrument.Unit) ? instrument.Description ?? name : $"{instrument.Description} ({instrument.Unit})";
        var counterName = name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total";
        return instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> => new Exported(Prometheus.Metrics.CreateCounter(counterName, help, labelNames), null, null, false),
            ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => new Exported(Prometheus.Metrics.CreateCounter(counterName, help, labelNames), null, null, true),
            ObservableGauge<long> or ObservableGauge<int> or ObservableGauge<double> => new Exported(null, Prometheus.Metrics.CreateGauge(name, help, labelNames), null, true),
            Histogram<double> histogram => new Exported(null, null, Prometheus.Metrics.CreateHistogram(name, help, labelNames, new HistogramConfiguration
            {
                Buckets = histogram.Advice?.HistogramBucketBoundaries?.ToArray() ?? Histogram.ExponentialBuckets(0.001, 2, 16),
            }), false),
            _ => new Exported(null, null, null, false),
        };
    }

    /// <summary>A name with its unit as Prometheus names it: seconds as <c>_seconds</c>, bytes as <c>_bytes</c>.</summary>
    private static string Unit(string name, string? unit) => unit switch
    {
        "s" when !name.EndsWith("_seconds", StringComparison.Ordinal) => name + "_seconds",
        "By" when !name.EndsWith("_bytes", StringComparison.Ordinal) => name + "_bytes",
        _ => name,
    };

    private sealed record Exported(Counter? Counter, Gauge? Gauge, Histogram? Histogram, bool Observable)
    {
        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);
    }
}

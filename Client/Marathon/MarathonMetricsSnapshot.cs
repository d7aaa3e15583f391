namespace OrleansDcos.Client.Marathon;

/// <summary><c>/metrics</c>: gauge values and counter counts by metric name.</summary>
public sealed record MarathonMetricsSnapshot(IReadOnlyDictionary<string, double> Gauges, IReadOnlyDictionary<string, double> Counters);

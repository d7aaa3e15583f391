namespace OrleansDcos.Silo.Api;

/// <summary>A gauge with labels, read at scrape time: every series it has now (series it no longer has are removed).</summary>
internal sealed record LabelledGauge(string Name, string Help, string[] LabelNames, IReadOnlyList<(string[] Labels, double Value)> Series);

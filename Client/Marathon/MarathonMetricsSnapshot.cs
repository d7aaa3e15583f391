using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansDcos.Client.Marathon;

/// <summary><c>/metrics</c>: gauge values and counter counts by metric name.</summary>
public sealed record MarathonMetricsSnapshot(IReadOnlyDictionary<string, double> Gauges, IReadOnlyDictionary<string, double> Counters);

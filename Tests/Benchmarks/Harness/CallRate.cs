using System.Diagnostics;

namespace OrleansDcos.Benchmarks.Harness;

/// <summary>The RESULT figures of a call-throughput run: calls, seconds, calls per second, and p99 latency from sampled Stopwatch ticks.</summary>
internal static class CallRate
{
    public static ScenarioResult Result(long calls, TimeSpan elapsed, IEnumerable<long[]> sampledTicks)
    {
        var latencies = sampledTicks.SelectMany(s => s).Order().ToArray();
        var p99 = latencies[(int)(latencies.Length * 0.99)] * 1000.0 / Stopwatch.Frequency;
        return new ScenarioResult()
            .Add("calls", calls)
            .Add("seconds", elapsed.TotalSeconds, 3)
            .Add("calls_per_s", (long)(calls / elapsed.TotalSeconds))
            .Add("p99_ms", p99, 3);
    }
}

using OrleansDcos.Tests.Support.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace OrleansDcos.Tests.EndToEnd.Reliability;

/// <summary>The API fuzzer's small run (10,000 mutated requests over every route of a silo process): the suite's part of issue 27.</summary>
[Trait("Area", "Reliability")]
public sealed class FuzzTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ten_thousand_mutated_requests_get_no_5xx_change_nothing_when_refused_crash_nothing_and_leave_memory_at_its_baseline()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(8));

        var outcome = await FuzzRun.RunAsync(10_000, seed: 27, output.WriteLine, deadline.Token);

        var report = outcome.Report;
        Assert.False(outcome.Crashed, "the silo died");
        Assert.True(report.ServerErrors.Count == 0, string.Join('\n', report.ServerErrors.Take(20)));
        Assert.True(report.StateChangedByRefused.Count == 0, string.Join('\n', report.StateChangedByRefused.Take(5)));
        Assert.True(report.NoAnswer.Count == 0, string.Join('\n', report.NoAnswer.Take(20)));
        Assert.True(report.ByRoute.Count > 100, $"only {report.ByRoute.Count} routes reached");
        Assert.True(outcome.NotRestored.Count == 0, string.Join('\n', outcome.NotRestored));
        Assert.True(outcome.HeapBack, $"the silo's live heap with the seeded state restored was {outcome.Baseline.Heap / 1048576.0:F1} MiB after the warm-up "
            + $"and {outcome.Settled.Heap / 1048576.0:F1} MiB after the run ({outcome.HeapGrowth:P1}, bound {FuzzRun.HeapBound:P0})");
    }
}

using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Fuzzing;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>fuzz: mutated requests against every route of a running silo; no answer ≥ 500, no state changed by a refused request, no crash, memory back to its baseline.</summary>
internal sealed class FuzzScenario : IScenario
{
    public string Name => "fuzz";

    public string Description => "100,000 mutated requests (10,000 --small) over every route: 5xx, state changed by refused requests, crashes (all must be 0); live heap back to the baseline once the seeded state is restored (heap_back=1)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var report = await FuzzRun.RunAsync(small ? 10_000 : 100_000, seed: 26, Console.WriteLine, cancellationToken, settleFully: true);
        return new ScenarioResult()
            .Add("requests", report.Report.Requests)
            .Add("accepted", report.Report.Accepted)
            .Add("refused", report.Report.Refused)
            .Add("server_errors", report.Report.ServerErrors.Count)
            .Add("closed_early", report.Report.ClosedEarly)
            .Add("no_answer", report.Report.NoAnswer.Count)
            .Add("state_changed_by_refused", report.Report.StateChangedByRefused.Count)
            .Add("crashed", report.Crashed ? 1 : 0)
            .Add("routes", report.Report.ByRoute.Count)
            .Add("rss_before_mb", report.RssBefore / 1024.0 / 1024, 0)
            .Add("rss_warm_mb", report.RssWarm / 1024.0 / 1024, 0)
            .Add("rss_after_mb", report.RssAfter / 1024.0 / 1024, 0)
            .Add("not_restored", report.NotRestored.Count)
            .Add("heap_baseline_mb", report.Baseline.Heap / 1024.0 / 1024, 1)
            .Add("heap_settled_mb", report.Settled.Heap / 1024.0 / 1024, 1)
            .Add("heap_growth_pct", report.HeapGrowth * 100, 1)
            .Add("heap_back", report.HeapBack ? 1 : 0)
            .Add("rss_baseline_mb", report.Baseline.Rss / 1024.0 / 1024, 0)
            .Add("rss_settled_mb", report.Settled.Rss / 1024.0 / 1024, 0)
            .Add("seconds", report.Seconds, 1);
    }
}

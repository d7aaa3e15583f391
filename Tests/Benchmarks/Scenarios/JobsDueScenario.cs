using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Tests.Support;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// jobs-due: 10,000 Chronos jobs (1,000 with --small) due at the same instant every minute, three times, on simulated
/// agents whose tasks run a second: the time from each due time to its launch (the scheduler's record of it launched,
/// just before its ACCEPT), and every due time checked for a run — missed (no success) and duplicate (a due time run twice) counted.
/// </summary>
internal sealed class JobsDueScenario : IScenario
{
    private const int Rounds = 3;

    public string Name => "jobs-due";

    public string Description => "10,000 jobs due each minute for 3 minutes: due-to-launch p50/p99 (target p99 <= 1 s), missed 0, duplicates 0";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var (jobs, agents) = small ? (1_000, 20) : (10_000, 100);
        await using var bench = await MarathonBench.StartAsync(agents, "cpus:100;mem:100000;disk:100000;ports:[31000-31010]", jobs: true, runFor: TimeSpan.FromSeconds(1));

        // All due at one instant (the hard case: a whole cluster's cron at :00), far enough ahead to create them first.
        var first = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddSeconds(small ? 20 : 60).ToUnixTimeSeconds());
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, jobs), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var job = new JsonObject
            {
                ["name"] = $"job-{i:D5}",
                ["command"] = "true",
                ["schedule"] = $"R{Rounds}/{first.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}/PT1M",
                ["cpus"] = 0.01,
                ["mem"] = 1,
                ["disk"] = 0,
            };
            using var created = await bench.Http.PostAsJsonAsync("/v1/scheduler/iso8601", job, token);
            created.EnsureSuccessStatusCode();
        });
        var createSeconds = clock.Elapsed.TotalSeconds;
        if (DateTimeOffset.UtcNow >= first)
        {
            throw new InvalidOperationException($"creating {jobs} jobs took {createSeconds:F1} s, past their first due time");
        }

        // Every run of every round ends (a second each) well within this.
        var end = first.AddMinutes(Rounds - 1).AddSeconds(30);
        await Task.Delay(end - DateTimeOffset.UtcNow, cancellationToken);
        var latencies = new List<double>();
        long missed = 0, duplicates = 0, skipped = 0;
        await Poll.UntilAsync(async () =>
        {
            latencies.Clear();
            (missed, duplicates, skipped) = (0, 0, 0);
            var histories = new JsonArray?[jobs];
            await Parallel.ForEachAsync(Enumerable.Range(0, jobs), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (i, token) =>
                histories[i] = JsonNode.Parse(await bench.Http.GetStringAsync($"/v1/scheduler/job/job-{i:D5}/runs", token))!["runs"]!.AsArray());
            foreach (var runs in histories.OfType<JsonArray>())
            {
                var succeeded = runs.Where(r => r!["state"]!.GetValue<string>() == "succeeded").ToList();
                skipped += runs.Count(r => r!["state"]!.GetValue<string>() == "skipped");
                duplicates += runs.Count - runs.Select(r => r!["due"]!.GetValue<string>()).Distinct().Count();
                missed += Rounds - succeeded.Select(r => r!["due"]!.GetValue<string>()).Distinct().Count();
                latencies.AddRange(succeeded.Select(r => (DateTimeOffset.Parse(r!["startedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture)
                    - DateTimeOffset.Parse(r!["due"]!.GetValue<string>(), CultureInfo.InvariantCulture)).TotalMilliseconds));
            }

            return missed == 0;
        }, TimeSpan.FromSeconds(60), () => $"every run of every job succeeded ({missed} missing, {skipped} skipped)", TimeSpan.FromSeconds(5));

        latencies.Sort();
        Console.WriteLine("due-to-launch by 100 ms: " + string.Join(" ", latencies.GroupBy(l => (int)(l / 100)).OrderBy(g => g.Key).Select(g => $"{g.Key * 100}:{g.Count()}")));
        double At(double p) => Percentile.Of(latencies, p);
        return new ScenarioResult()
            .Add("jobs", jobs)
            .Add("rounds", Rounds)
            .Add("runs", latencies.Count)
            .Add("create_s", createSeconds, 1)
            .Add("p50_ms", At(0.5), 1)
            .Add("p99_ms", At(0.99), 1)
            .Add("max_ms", At(1), 1)
            .Add("missed", missed)
            .Add("skipped", skipped)
            .Add("duplicates", duplicates);
    }
}

using System.Diagnostics;

namespace OrleansDcos.Tests.Support.Fuzzing;

/// <summary>
/// One fuzz run against a silo process of its own (embedded, login off, no agent, idle grains collected after 5 s):
/// the report, whether the silo died, and its memory. Memory is read after a full GC: seeded; after the warm-up (the
/// first tenth of the requests: code jitted, pools filled) and after the last request, each with the state the
/// accepted requests made; and — the baseline check — after each of those two, once what the requests made is
/// removed, the seeded objects made again and idle grains collected: the settled heap must be back within
/// <see cref="HeapBound"/> of the baseline.
/// </summary>
public static class FuzzRun
{
    /// <summary>The silo's idle-grain age in a fuzz run: the grains of removed objects leave within seconds, not Orleans' 15 minutes.</summary>
    private static readonly TimeSpan CollectionAge = TimeSpan.FromSeconds(5);

    /// <summary>How long the runtime's shared array pool keeps buffers nobody rents, and a little more (see <see cref="SettleAsync"/>).</summary>
    private static readonly TimeSpan PoolTrimWindow = TimeSpan.FromSeconds(70);

    /// <summary>How far over the baseline the settled heap may be: what the run may leave of caches with bounds (a metric per route and status, code compiled for new paths).</summary>
    public const double HeapBound = 0.05;

    /// <summary>A reading after a full GC: resident bytes, and the live bytes that GC kept (the silo's <c>dotnet_gc_last_full_live_bytes</c>).</summary>
    public sealed record Memory(long Rss, long Heap);

    /// <summary>
    /// The outcome. <paramref name="Baseline"/> and <paramref name="Settled"/>: memory with the seeded state restored
    /// after the warm-up and after the run; <paramref name="NotRestored"/>: what a restore could not put back;
    /// <paramref name="Seconds"/>: the time the requests took.
    /// </summary>
    public sealed record Outcome(FuzzReport Report, bool Crashed, long RssBefore, long RssWarm, long RssAfter, Memory Baseline, Memory Settled,
        IReadOnlyList<string> NotRestored, double Seconds)
    {
        /// <summary>How far the settled heap is over the baseline's, as a share of it.</summary>
        public double HeapGrowth => Baseline.Heap == 0 ? 0 : (double)(Settled.Heap - Baseline.Heap) / Baseline.Heap;

        /// <summary>Whether the heap came back to the baseline: within <see cref="HeapBound"/> of it.</summary>
        public bool HeapBack => Back(Settled, Baseline);
    }

    /// <summary>Whether <paramref name="reading"/>'s heap is within <see cref="HeapBound"/> of <paramref name="baseline"/>'s.</summary>
    private static bool Back(Memory reading, Memory baseline) => baseline.Heap > 0 && reading.Heap <= baseline.Heap * (1 + HeapBound);

    /// <summary>
    /// Runs <paramref name="requests"/> requests; every violation is told to <paramref name="print"/> with its evidence.
    /// The memory after the run is read until it is back within the bound, or — <paramref name="settleFully"/>, for
    /// the figure — over the whole window.
    /// </summary>
    public static async Task<Outcome> RunAsync(int requests, int seed, Action<string> print, CancellationToken cancellationToken, bool settleFully = false)
    {
        await using var silo = await SiloProcess.StartAsync("--Silo:EmbeddedAgent=false", "--Marathon:MaxRequestBytes=1048576",
            $"--Silo:GrainCollectionAge={CollectionAge:c}");
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var fuzzer = new ApiFuzzer(http, seed);
        await fuzzer.SeedAsync(cancellationToken);
        var seeded = await fuzzer.StateAsync(cancellationToken);
        var rssBefore = await ProcessMemory.AfterFullGcAsync(silo.ProcessId, cancellationToken);
        var clock = Stopwatch.StartNew();
        var warmUp = requests / 10;
        var notRestored = new List<string>();
        var report = await fuzzer.RunAsync(OrleansDcos.Silo.Security.RouteRules.Routes, warmUp, cancellationToken);
        var rssWarm = silo.HasExited ? 0 : await ProcessMemory.AfterFullGcAsync(silo.ProcessId, cancellationToken);
        clock.Stop();
        var baseline = silo.HasExited ? new Memory(0, 0) : await SettleAsync(silo, http, fuzzer, seeded, "after the warm-up", notRestored, null, false, cancellationToken);
        clock.Start();
        await fuzzer.RunAsync(OrleansDcos.Silo.Security.RouteRules.Routes, requests - warmUp, cancellationToken, report);
        var seconds = clock.Elapsed.TotalSeconds;
        var crashed = silo.HasExited || !await AnswersAsync(http);
        var rssAfter = crashed ? 0 : await ProcessMemory.AfterFullGcAsync(silo.ProcessId, cancellationToken);
        var settled = crashed ? new Memory(0, 0) : await SettleAsync(silo, http, fuzzer, seeded, "after the run", notRestored, baseline, settleFully, cancellationToken);
        foreach (var line in report.ServerErrors.Concat(report.NoAnswer).Concat(report.StateChangedByRefused).Concat(notRestored).Take(50))
        {
            print("VIOLATION " + line);
        }

        // What the silo logged of its failures: each distinct exception and the frame it came from, with a count.
        var lines = silo.Output.ToList();
        var causes = lines.Select((line, i) => (line, i))
            .Where(x => x.line.Contains("Exception: ", StringComparison.Ordinal) || x.line.Contains("Exception:", StringComparison.Ordinal) && x.line.TrimStart().StartsWith("System.", StringComparison.Ordinal))
            .Select(x => $"{x.line.Trim()} @ {lines.Skip(x.i + 1).FirstOrDefault(l => l.TrimStart().StartsWith("at OrleansDcos", StringComparison.Ordinal))?.Trim()}")
            .GroupBy(c => c, StringComparer.Ordinal);
        foreach (var cause in causes.OrderByDescending(g => g.Count()).Take(20))
        {
            print($"CAUSE x{cause.Count()} {cause.Key}");
        }

        return new Outcome(report, crashed, rssBefore, rssWarm, rssAfter, baseline, settled, notRestored, seconds);
    }

    /// <summary>
    /// Restores the seeded state, then reads memory after a full GC every few seconds: for the baseline, over
    /// <see cref="PoolTrimWindow"/>, keeping the lowest reading; after the run, until the heap is within
    /// <see cref="HeapBound"/> of <paramref name="baseline"/> (unless <paramref name="fully"/>) or twice the window has
    /// passed, keeping the lowest.
    /// </summary>
    /// <remarks>
    /// A window, not the first steady reading: the runtime's shared array pool keeps the large buffers big requests and
    /// answers rented (1–8 MiB each, ~40 MB after the run) until they have gone unused for a minute, then hands them
    /// back at a full GC — measured: 110 MB live right after the run's restore, 69 MB 50 s later, the baseline's 68 MB.
    /// </remarks>
    private static async Task<Memory> SettleAsync(SiloProcess silo, HttpClient http, ApiFuzzer fuzzer, string seeded, string when, List<string> notRestored,
        Memory? baseline, bool fully, CancellationToken cancellationToken)
    {
        if (await fuzzer.RestoreAsync(seeded, cancellationToken) is { } left)
        {
            notRestored.Add($"{when}: {left}");
        }

        var start = DateTime.UtcNow;
        var window = baseline is null ? PoolTrimWindow : PoolTrimWindow * 2;
        Memory? lowest = null;
        do
        {
            await Task.Delay(CollectionAge, cancellationToken);
            var now = await ReadAsync(silo, http, cancellationToken);
            lowest = lowest is null || now.Heap < lowest.Heap ? now : lowest;
        }
        while (DateTime.UtcNow - start < window && (baseline is null || fully || !Back(lowest, baseline)));

        return lowest;
    }

    private static async Task<Memory> ReadAsync(SiloProcess silo, HttpClient http, CancellationToken cancellationToken)
    {
        var rss = await ProcessMemory.AfterFullGcAsync(silo.ProcessId, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.ParseAdd("text/plain; version=0.0.4");
        using var response = await http.SendAsync(request, cancellationToken);
        var line = (await response.Content.ReadAsStringAsync(cancellationToken)).Split('\n').First(l => l.StartsWith("dotnet_gc_last_full_live_bytes ", StringComparison.Ordinal));
        return new Memory(rss, (long)double.Parse(line["dotnet_gc_last_full_live_bytes ".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<bool> AnswersAsync(HttpClient http)
    {
        try
        {
            return await http.GetStringAsync("/ping") == "pong";
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}

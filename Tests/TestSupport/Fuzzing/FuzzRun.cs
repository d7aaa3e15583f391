using System.Diagnostics;

namespace OrleansDcos.Tests.Support.Fuzzing;

/// <summary>
/// One fuzz run against a silo process of its own (embedded, login off, no agent): the report, whether the silo died,
/// and its memory — after a full GC — once warm (the first tenth of the requests sent: code jitted, pools filled) and
/// after the last request.
/// </summary>
public static class FuzzRun
{
    /// <summary>The outcome.</summary>
    public sealed record Outcome(FuzzReport Report, bool Crashed, long RssBefore, long RssWarm, long RssAfter, double Seconds);

    /// <summary>Runs <paramref name="requests"/> requests; every violation is told to <paramref name="print"/> with its evidence.</summary>
    public static async Task<Outcome> RunAsync(int requests, int seed, Action<string> print, CancellationToken cancellationToken)
    {
        await using var silo = await SiloProcess.StartAsync("--Silo:EmbeddedAgent=false", "--Marathon:MaxRequestBytes=1048576");
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var fuzzer = new ApiFuzzer(http, seed);
        await fuzzer.SeedAsync(cancellationToken);
        var rssBefore = await ProcessMemory.AfterFullGcAsync(silo.ProcessId, cancellationToken);
        var clock = Stopwatch.StartNew();
        var warmUp = requests / 10;
        var report = await fuzzer.RunAsync(OrleansDcos.Silo.Security.RouteRules.Routes, warmUp, cancellationToken);
        var rssWarm = silo.HasExited ? 0 : await ProcessMemory.AfterFullGcAsync(silo.ProcessId, cancellationToken);
        await fuzzer.RunAsync(OrleansDcos.Silo.Security.RouteRules.Routes, requests - warmUp, cancellationToken, report);
        var seconds = clock.Elapsed.TotalSeconds;
        var crashed = silo.HasExited || !await AnswersAsync(http);
        var rssAfter = crashed ? 0 : await ProcessMemory.AfterFullGcAsync(silo.ProcessId, cancellationToken);
        foreach (var line in report.ServerErrors.Concat(report.NoAnswer).Concat(report.StateChangedByRefused).Take(50))
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

        return new Outcome(report, crashed, rssBefore, rssWarm, rssAfter, seconds);
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

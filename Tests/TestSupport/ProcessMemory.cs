using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace OrleansDcos.Tests.Support;

/// <summary>
/// The resident memory of another .NET process once its garbage is collected: a full GC is induced through the
/// runtime's diagnostic port (an EventPipe session asking for the GC-heap-collect keyword, as <c>dotnet-gcdump</c>
/// does), then VmRSS is read until it holds still — so that what a reading shows is memory the process keeps, not
/// garbage a server GC has not yet had a reason to collect.
/// </summary>
public static class ProcessMemory
{
    private const long GcHeapCollectKeyword = 0x800000;

    /// <summary>Resident bytes (VmRSS) of <paramref name="pid"/> now.</summary>
    public static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Induces a full GC in <paramref name="pid"/> and returns its VmRSS once steady (within 1 MB over 500 ms, at most 15 s).</summary>
    public static async Task<long> AfterFullGcAsync(int pid, CancellationToken cancellationToken = default)
    {
        var client = new DiagnosticsClient(pid);
        var providers = new[] { new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcHeapCollectKeyword) };
        using (var session = await client.StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 16, cancellationToken))
        {
            // The GC runs as the session starts; drain what it writes, then end it.
            var drain = session.EventStream.CopyToAsync(Stream.Null, cancellationToken);
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            await session.StopAsync(cancellationToken);
            await drain.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var last = ResidentBytes(pid);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            var now = ResidentBytes(pid);
            if (Math.Abs(now - last) < 1024 * 1024)
            {
                return now;
            }

            last = now;
        }

        return last;
    }
}

using System.Diagnostics;

namespace OrleansDcos.Silo.Hosting;

/// <summary>How long this silo's process has run (Mesos' <c>master/uptime_secs</c>, Marathon's uptime gauge), on the injected clock.</summary>
public sealed class SiloUptime(TimeProvider time)
{
    /// <summary>When the process started.</summary>
    public DateTimeOffset Started { get; } = new(Process.GetCurrentProcess().StartTime.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>The time since <see cref="Started"/> (never negative).</summary>
    public TimeSpan Elapsed => time.GetUtcNow() - Started is { } elapsed && elapsed > TimeSpan.Zero ? elapsed : TimeSpan.Zero;
}

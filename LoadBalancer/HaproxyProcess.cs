using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace OrleansDcos.LoadBalancer;

/// <summary>
/// A real haproxy in master-worker mode (<c>-W -db</c>): started on the first valid configuration, reloaded with
/// SIGUSR2 (the master starts workers on the new file; the old ones take no new connections and exit once theirs
/// finish; the listening sockets pass to the new workers through the runtime socket's <c>expose-fd listeners</c>, so
/// a reload refuses no connection), soft-stopped with SIGUSR1 on dispose.
/// </summary>
public sealed class HaproxyProcess(string executable, string configPath, ILogger logger) : IAsyncDisposable
{
    private Process? _master;

    /// <summary>True while the master runs.</summary>
    public bool Running => _master is { HasExited: false };

    /// <summary>The master's process id, or null.</summary>
    public int? MasterId => Running ? _master!.Id : null;

    /// <summary><c>haproxy -c -f</c>: whether HAProxy accepts <paramref name="path"/>, and what it said.</summary>
    public static async Task<(bool Valid, string Output)> CheckAsync(string executable, string path, CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("-f");
        info.ArgumentList.Add(path);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{executable} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode == 0, ((await output) + (await error)).Trim());
    }

    /// <summary>Starts haproxy on the configuration, or makes the running one read it again.</summary>
    public void Apply()
    {
        if (Running)
        {
            Signals.Send(_master!.Id, Signals.SIGUSR2);
            LoadBalancerLog.Reloaded(logger, _master.Id);
            return;
        }

        _master?.Dispose();
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-W", "-db", "-f", configPath })
        {
            info.ArgumentList.Add(argument);
        }

        var master = new Process { StartInfo = info };
        master.OutputDataReceived += (_, e) => Log(e.Data);
        master.ErrorDataReceived += (_, e) => Log(e.Data);
        master.Start();
        master.BeginOutputReadLine();
        master.BeginErrorReadLine();
        _master = master;
        LoadBalancerLog.Started(logger, master.Id, configPath);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_master is not { } master)
        {
            return;
        }

        if (!master.HasExited)
        {
            Signals.Send(master.Id, Signals.SIGUSR1);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await master.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                master.Kill(entireProcessTree: true);
                await master.WaitForExitAsync(CancellationToken.None);
            }
        }

        master.Dispose();
        _master = null;
    }

    private void Log(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        if (line.StartsWith("[ALERT]", StringComparison.Ordinal))
        {
            LoadBalancerLog.HaproxyAlert(logger, line);
        }
        else
        {
            LoadBalancerLog.HaproxySaid(logger, line);
        }
    }
}

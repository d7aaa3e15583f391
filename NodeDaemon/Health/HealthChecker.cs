using System.Diagnostics;
using System.Net.Sockets;

namespace OrleansDcos.NodeDaemon.Health;

/// <summary>Runs one task's health check until cancelled or given up; reports every change of health.</summary>
public sealed class HealthChecker(HealthCheckSpec spec, string sandbox, IReadOnlyDictionary<string, string> environment, TimeProvider? time = null)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        PooledConnectionLifetime = TimeSpan.Zero, // a new connection per check: a check must see a dead server as dead
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    /// <summary>Checks until <paramref name="cancellationToken"/> is cancelled or the task is given up on.</summary>
    public async Task RunAsync(Func<HealthChange, Task> onChange, CancellationToken cancellationToken)
    {
        var clock = time ?? TimeProvider.System;
        var started = clock.GetTimestamp();
        bool? healthy = null;
        var everHealthy = false;
        var failures = 0;
        await Task.Delay(spec.DelayOrDefault, clock, cancellationToken);
        using var timer = new PeriodicTimer(spec.IntervalOrDefault, clock);
        do
        {
            var (ok, message) = await CheckOnceAsync(cancellationToken);
            if (ok)
            {
                failures = 0;
                everHealthy = true;
                if (healthy != true)
                {
                    healthy = true;
                    await onChange(new HealthChange(true, 0, false, message));
                }

                continue;
            }

            if (!everHealthy && clock.GetElapsedTime(started) < spec.GracePeriodOrDefault)
            {
                continue; // still starting up
            }

            failures++;
            var gaveUp = failures >= spec.MaxConsecutiveFailures && spec.MaxConsecutiveFailures > 0;
            if (healthy != false || gaveUp)
            {
                healthy = false;
                await onChange(new HealthChange(false, failures, gaveUp, message));
            }

            if (gaveUp)
            {
                return;
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    /// <summary>One check, within the timeout: whether it passed, and what it saw.</summary>
    public async Task<(bool Ok, string Message)> CheckOnceAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(spec.TimeoutOrDefault);
        try
        {
            return spec.Protocol switch
            {
                HealthCheckProtocol.Http or HealthCheckProtocol.Https => await HttpAsync(timeout.Token),
                HealthCheckProtocol.Tcp => await TcpAsync(timeout.Token),
                HealthCheckProtocol.Command => await CommandAsync(timeout.Token),
                _ => (false, $"unknown protocol {spec.Protocol}"),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"no answer within {spec.TimeoutOrDefault.TotalSeconds:0.###} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or IOException)
        {
            return (false, ex.Message);
        }
    }

    private async Task<(bool, string)> HttpAsync(CancellationToken cancellationToken)
    {
        var scheme = spec.Protocol == HealthCheckProtocol.Https ? "https" : "http";
        var uri = new UriBuilder(scheme, spec.Host, spec.Port, spec.Path).Uri;
        using var response = await Http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;
        return (status is >= 200 and < 400, $"{scheme.ToUpperInvariant()} GET {uri.PathAndQuery} answered {status}");
    }

    private async Task<(bool, string)> TcpAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(spec.Host, spec.Port, cancellationToken);
        return (true, $"TCP {spec.Host}:{spec.Port} accepted a connection");
    }

    private async Task<(bool, string)> CommandAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = sandbox, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(spec.Command ?? throw new InvalidOperationException("a COMMAND health check needs a command"));
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        _ = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode == 0, $"command exited with {process.ExitCode}{(await output is { Length: > 0 } text ? ": " + text.Trim() : "")}");
    }
}

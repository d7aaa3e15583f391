using System.Diagnostics;
using System.Net.Sockets;

namespace OrleansDcos.NodeDaemon.Health;

/// <summary>The kind of an agent-side health check.</summary>
public enum HealthCheckProtocol
{
    /// <summary>GET http://host:port/path answers 200–399.</summary>
    Http,

    /// <summary>As HTTP over TLS (the certificate is not verified, as Mesos does not).</summary>
    Https,

    /// <summary>A TCP connection to host:port opens.</summary>
    Tcp,

    /// <summary><c>sh -c command</c> in the task's sandbox, with its environment, exits 0.</summary>
    Command,
}

/// <summary>
/// One health check of a task, with Marathon's meaning and defaults: failures during
/// <see cref="GracePeriod"/> are ignored until the first success; after <see cref="MaxConsecutiveFailures"/>
/// failures in a row the task is unhealthy for good (and is killed).
/// </summary>
public sealed record HealthCheckSpec(
    HealthCheckProtocol Protocol,
    string Host = "127.0.0.1",
    int Port = 0,
    string Path = "/",
    string? Command = null,
    TimeSpan? GracePeriod = null,
    TimeSpan? Interval = null,
    TimeSpan? Timeout = null,
    int MaxConsecutiveFailures = 3,
    TimeSpan? Delay = null)
{
    /// <summary>Marathon: 300 s.</summary>
    public TimeSpan GracePeriodOrDefault => GracePeriod ?? TimeSpan.FromSeconds(300);

    /// <summary>Marathon: 60 s.</summary>
    public TimeSpan IntervalOrDefault => Interval ?? TimeSpan.FromSeconds(60);

    /// <summary>Marathon: 20 s.</summary>
    public TimeSpan TimeoutOrDefault => Timeout ?? TimeSpan.FromSeconds(20);

    /// <summary>Mesos: 15 s before the first check.</summary>
    public TimeSpan DelayOrDefault => Delay ?? TimeSpan.FromSeconds(15);
}

/// <summary>A change of a task's health.</summary>
/// <param name="Healthy">The new health.</param>
/// <param name="ConsecutiveFailures">Failures in a row so far.</param>
/// <param name="GaveUp">True once <see cref="HealthCheckSpec.MaxConsecutiveFailures"/> is reached: the task is to be killed.</param>
/// <param name="Message">What the last check saw.</param>
public sealed record HealthChange(bool Healthy, int ConsecutiveFailures, bool GaveUp, string Message);

/// <summary>Runs one task's health check until cancelled or given up; reports every change of health.</summary>
public sealed class HealthChecker(HealthCheckSpec spec, string sandbox, IReadOnlyDictionary<string, string> environment)
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
        var started = Stopwatch.StartNew();
        bool? healthy = null;
        var everHealthy = false;
        var failures = 0;
        await Task.Delay(spec.DelayOrDefault, cancellationToken);
        using var timer = new PeriodicTimer(spec.IntervalOrDefault);
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

            if (!everHealthy && started.Elapsed < spec.GracePeriodOrDefault)
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

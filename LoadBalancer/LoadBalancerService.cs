using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansDcos.LoadBalancer;

/// <summary>
/// marathon-lb's loop on the silo's API: the event bus (<c>/v2/events</c>, server-sent events, which the durable
/// task-status stream feeds) says when something changed; the configuration is then asked for whole
/// (<c>/_haproxy_getconfig</c>), so a missed event or a reconnection loses nothing; a new text is written beside the
/// running one, checked with <c>haproxy -c</c>, and only then put in place and reloaded. A text HAProxy refuses is
/// logged and the running configuration stays. Silos are asked in order, the next when one does not answer.
/// </summary>
public sealed class LoadBalancerService(IOptions<LoadBalancerOptions> settings, ILogger<LoadBalancerService> logger, TimeProvider time) : BackgroundService
{
    /// <summary>The events that can change what is balanced.</summary>
    public static readonly IReadOnlyList<string> EventTypes =
    [
        "status_update_event", "health_status_changed_event", "instance_health_changed_event", "instance_changed_event",
        "api_post_event", "app_terminated_event", "deployment_success", "deployment_failed",
    ];

    /// <summary>The event bus sends a comment every 15 s: this long without a line means the silo is gone.</summary>
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(40);

    private readonly LoadBalancerOptions _options = settings.Value;
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int _silo;
    private string? _applied;
    private string? _refused;

    private string ConfigPath => Path.Combine(_options.WorkDirectory, "haproxy.cfg");

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(_options.WorkDirectory);
        using var http = new HttpClient(Handler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = 64 * 1024 * 1024 };
        await using var haproxy = new HaproxyProcess(_options.Haproxy, ConfigPath, logger);
        var follow = FollowAsync(http, stoppingToken);
        LoadBalancerLog.Ready(logger, _options.Group, ConfigPath);
        try
        {
            _changes.Writer.TryWrite(true);
            while (!stoppingToken.IsCancellationRequested)
            {
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    wait.CancelAfter(_options.RefreshInterval);
                    try
                    {
                        await _changes.Reader.ReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        // no event for a while: ask anyway
                    }
                }

                if (_options.Debounce > TimeSpan.Zero)
                {
                    await Task.Delay(_options.Debounce, time, stoppingToken);
                }

                _changes.Reader.TryRead(out _);
                await RefreshAsync(http, haproxy, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        try
        {
            await follow;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAsync(HttpClient http, HaproxyProcess haproxy, CancellationToken cancellationToken)
    {
        var text = await FetchAsync(http, cancellationToken);
        if (text is null)
        {
            _ = AgainAsync(cancellationToken); // no silo answered: ask again soon
            return;
        }

        if (text == _applied)
        {
            if (!haproxy.Running)
            {
                haproxy.Apply(); // it died: start it again on the file in place
            }

            return;
        }

        if (text == _refused)
        {
            return;
        }

        var candidate = ConfigPath + ".new";
        await File.WriteAllTextAsync(candidate, text, cancellationToken);
        var (valid, output) = await HaproxyProcess.CheckAsync(_options.Haproxy, candidate, cancellationToken);
        if (!valid)
        {
            _refused = text;
            LoadBalancerLog.Refused(logger, output);
            return;
        }

        File.Move(candidate, ConfigPath, overwrite: true);
        haproxy.Apply();
        foreach (var line in text.Split('\n').Where(l => l.StartsWith("# left out: ", StringComparison.Ordinal)).Except(_applied?.Split('\n') ?? []))
        {
            LoadBalancerLog.LeftOut(logger, line["# left out: ".Length..]);
        }

        _applied = text;
    }

    private async Task AgainAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            _changes.Writer.TryWrite(true);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The HTTP handler: trusting the cluster CA alone when one is given, and logging in as the service account when one is.</summary>
    private HttpMessageHandler Handler()
    {
        var sockets = new SocketsHttpHandler();
        if (_options.CaFile is { } caFile)
        {
            var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Scheduling.Security.CertificateAuthority.AcceptsServer(certificate, errors, ca);
        }

        if (_options.ServiceAccount is not { } account)
        {
            return sockets;
        }

        var key = System.Security.Cryptography.RSA.Create();
        key.ImportFromPem(File.ReadAllText(_options.PrivateKeyFile!));
        return new ServiceAccountLogin(account, key, time) { InnerHandler = sockets };
    }

    /// <summary>The configuration from the first silo that answers, starting with the one that answered last.</summary>
    private async Task<string?> FetchAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var query = $"group={Uri.EscapeDataString(_options.Group)}&bind={Uri.EscapeDataString(_options.BindAddress)}" +
            $"&httpPort={_options.HttpPort}&statsPort={_options.StatsPort}&socket={Uri.EscapeDataString(_options.SocketPath)}";
        for (var tried = 0; tried < _options.Silos.Count; tried++)
        {
            var silo = Silo(Volatile.Read(ref _silo));
            try
            {
                using var ask = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                ask.CancelAfter(TimeSpan.FromSeconds(10));
                using var response = await http.GetAsync(new Uri(new Uri(silo), "/_haproxy_getconfig?" + query), ask.Token);
                if (response.IsSuccessStatusCode)
                {
                    return await response.Content.ReadAsStringAsync(ask.Token);
                }

                LoadBalancerLog.SiloAway(logger, silo, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ask.Token)}");
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LoadBalancerLog.SiloAway(logger, silo, ex.Message);
            }

            Interlocked.Increment(ref _silo);
        }

        return null;
    }

    /// <summary>Follows the event bus of one silo after another; every event (and every reconnection) asks for a refresh.</summary>
    private async Task FollowAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var query = string.Join('&', EventTypes.Select(t => "event_type=" + t));
        while (!cancellationToken.IsCancellationRequested)
        {
            var silo = Silo(Volatile.Read(ref _silo));
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(silo), "/v2/events?" + query));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                LoadBalancerLog.Following(logger, silo);
                _changes.Writer.TryWrite(true); // whatever happened while no silo was followed
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                while (true)
                {
                    using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    quiet.CancelAfter(Silence);
                    var line = await reader.ReadLineAsync(quiet.Token);
                    if (line is null)
                    {
                        break;
                    }

                    if (line.StartsWith("event:", StringComparison.Ordinal))
                    {
                        _changes.Writer.TryWrite(true);
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LoadBalancerLog.SiloAway(logger, silo, ex.Message);
                Interlocked.Increment(ref _silo);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
        }
    }

    private string Silo(int index) => _options.Silos[(int)((uint)index % (uint)_options.Silos.Count)];
}

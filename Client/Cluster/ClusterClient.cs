using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OrleansDcos.Runtime;
using OrleansDcos.Runtime.Gateway;

namespace OrleansDcos.Client.Cluster;

/// <summary>
/// Calls grains of a silo cluster from outside it, through the same grain interfaces
/// (<c>client.GetGrain&lt;IAppGrain&gt;("/web").Scale(5)</c>), and follows streams as
/// <see cref="IAsyncEnumerable{T}"/>. Each grain is pinned to one gateway so its calls keep their order;
/// a call that cannot connect moves to the next gateway (it was never delivered, so this is safe);
/// a followed stream reconnects after a drop and resumes after the last event it yielded.
/// </summary>
public sealed class ClusterClient : IGrainFactory, IGrainCallSink, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ClusterClientOptions _options;
    private readonly HttpClient _http;
    private readonly GrainReferenceFactory _references;
    private readonly Timer _refresh;
    private volatile GatewayList _gateways;

    /// <summary>A client of the gateways in <paramref name="options"/>.</summary>
    public ClusterClient(ClusterClientOptions options, HttpMessageHandler? handler = null)
    {
        if (options.Gateways.Count == 0)
        {
            throw new ArgumentException("give at least one gateway", nameof(options));
        }

        _options = options;
        _gateways = new GatewayList(options.Gateways, options.GatewayRetryDelay);
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _references = new GrainReferenceFactory(this);
        _refresh = new Timer(_ => _ = RefreshGatewaysAsync(), null, TimeSpan.Zero, options.GatewayListRefreshInterval);
    }

    /// <summary>The gateways in use: the configured ones and those the cluster reported.</summary>
    public IReadOnlyList<Uri> Gateways => _gateways.All;

    /// <summary>
    /// Rereads the cluster's active silos from a gateway that answers and uses them as gateways (the
    /// configured ones stay, as seeds). Runs periodically; call it to pick up changes at once.
    /// </summary>
    public async Task RefreshGatewaysAsync(CancellationToken cancellationToken = default)
    {
        var current = _gateways;
        foreach (var gateway in current.Candidates("gateway-list"))
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var silos = await _http.GetFromJsonAsync<string[]>(new Uri(gateway, GatewayPaths.Silos), Json, timeout.Token);
                if (silos is { Length: > 0 })
                {
                    var discovered = silos.Select(s => new Uri(s)).OrderBy(u => u.ToString(), StringComparer.Ordinal).ToList();
                    _gateways = current.With([.. discovered, .. _options.Gateways.Where(g => !discovered.Contains(g))]);
                    return;
                }
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
            {
                current.MarkDown(gateway);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException)
            {
                // It answered, just not with a list (no membership there): keep it, ask the next one.
            }
        }
    }

    /// <inheritdoc />
    public TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey => _references.GetGrain<TGrain>(key);

    /// <inheritdoc />
    public TGrain GetGrain<TGrain>(Guid key) where TGrain : IGrainWithGuidKey => _references.GetGrain<TGrain>(key);

    /// <summary>The gateway a grain's calls go to first (its pin).</summary>
    public Uri GatewayFor(Type grainInterface, string key) => _gateways.Candidates($"{grainInterface.FullName}/{key}")[0];

    /// <summary>Appends <paramref name="item"/> to a stream; returns its position.</summary>
    public async Task<StreamSequenceToken> PublishAsync<T>(string provider, StreamId stream, T item, CancellationToken cancellationToken = default)
    {
        foreach (var gateway in _gateways.Candidates(stream.ToString()))
        {
            try
            {
                using var response = await _http.PostAsJsonAsync(new Uri(gateway, GatewayPaths.Stream(provider, stream)), item, Json, cancellationToken);
                await EnsureSuccessAsync(response, cancellationToken);
                var reply = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken);
                return new StreamSequenceToken(reply.GetProperty("seq").GetInt64());
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
            {
                _gateways.MarkDown(gateway);
            }
        }

        throw NoGateway();
    }

    /// <summary>
    /// Follows a stream: the events after <paramref name="after"/> (new ones when null), then each new one,
    /// until cancelled. Survives dropped connections and silo restarts without losing or repeating events.
    /// </summary>
    public async IAsyncEnumerable<StreamEvent<T>> ReadStreamAsync<T>(string provider, StreamId stream, StreamSequenceToken? after = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var position = after?.Sequence;
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var gateway = _gateways.Candidates(stream.ToString())[0];
            var opened = await TryOpenStreamAsync(gateway, provider, stream, position, cancellationToken);
            if (opened is { } connection)
            {
                attempt = 0;
                position ??= connection.Start;
                using (connection.Response)
                using (connection.Reader)
                {
                    while (await ReadLineAsync(connection.Reader, cancellationToken) is { } line)
                    {
                        var e = JsonSerializer.Deserialize<GatewayStreamEvent>(line, Json)!;
                        position = e.Sequence;
                        yield return new StreamEvent<T>(stream, e.Item.Deserialize<T>(Json)!, new StreamSequenceToken(e.Sequence));
                    }
                }
            }

            try
            {
                await Task.Delay(_options.StreamReconnectDelay * Math.Min(++attempt, 8), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _refresh.Dispose();
        _http.Dispose();
    }

    void IGrainCallSink.Send(GrainRequest request) => _ = SendAsync(request);

    private async Task SendAsync(GrainRequest request)
    {
        var arguments = request.Arguments.Select((a, i) => JsonSerializer.SerializeToElement(a, request.Method.Parameters[i], Json)).ToArray();
        var call = new GatewayCall(request.InterfaceType.FullName!, GrainInterfaceInfo.WireNameOf(request.Method), request.Key, arguments);
        var pin = $"{call.Interface}/{call.Key}";
        using var timeout = new CancellationTokenSource(_options.ResponseTimeout);
        try
        {
            foreach (var gateway in _gateways.Candidates(pin))
            {
                GatewayReply? reply;
                try
                {
                    using var response = await _http.PostAsJsonAsync(new Uri(gateway, GatewayPaths.Call), call, Json, timeout.Token);
                    await EnsureSuccessAsync(response, timeout.Token);
                    reply = await response.Content.ReadFromJsonAsync<GatewayReply>(Json, timeout.Token);
                }
                catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
                {
                    _gateways.MarkDown(gateway); // never reached the silo: try the next gateway
                    _ = RefreshGatewaysAsync();
                    continue;
                }

                if (reply?.Error is { } error)
                {
                    request.Fail(GatewayExceptions.FromError(error));
                }
                else
                {
                    request.CompleteFromJson(reply?.Result ?? default, Json);
                }

                return;
            }

            request.Fail(NoGateway());
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            request.Fail(new TimeoutException($"{call.Interface}.{request.Method.Method.Name} on {call.Key} did not answer within {_options.ResponseTimeout.TotalSeconds:0.###} s; its outcome is unknown"));
        }
        catch (Exception ex)
        {
            request.Fail(ex);
        }
    }

    private async Task<(HttpResponseMessage Response, StreamReader Reader, long Start)?> TryOpenStreamAsync(
        Uri gateway, string provider, StreamId stream, long? position, CancellationToken cancellationToken)
    {
        var uri = new Uri(gateway, GatewayPaths.Stream(provider, stream) + (position is { } p ? $"?after={p.ToString(CultureInfo.InvariantCulture)}" : string.Empty));
        HttpResponseMessage? response = null;
        try
        {
            response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Gone)
            {
                throw new StreamPositionNotRetainedException(await ErrorMessageAsync(response, cancellationToken));
            }

            await EnsureSuccessAsync(response, cancellationToken);
            var start = response.Headers.TryGetValues(GatewayPaths.PositionHeader, out var values)
                ? long.Parse(values.First(), CultureInfo.InvariantCulture)
                : position ?? 0;
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            return (response, reader, start);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            response?.Dispose();
            if (ex.HttpRequestError == HttpRequestError.ConnectionError)
            {
                _gateways.MarkDown(gateway);
            }

            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            response?.Dispose();
            return null;
        }
    }

    /// <summary>The next line, or null when the connection ended (or dropped, or the caller cancelled).</summary>
    private static async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var message = await ErrorMessageAsync(response, cancellationToken);
            throw response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest
                ? new ArgumentException(message)
                : new HttpRequestException($"gateway answered {(int)response.StatusCode}: {message}", null, response.StatusCode);
        }
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonDocument.Parse(text).RootElement.GetProperty("message").GetString() ?? text;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return text;
        }
    }

    private HttpRequestException NoGateway() =>
        new($"none of the {_gateways.Count} gateways accepted a connection", null, HttpStatusCode.ServiceUnavailable);
}

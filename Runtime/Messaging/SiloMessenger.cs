using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Runtime.Gateway;
using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Runtime.Messaging;

/// <summary>
/// Sends grain calls to other silos over HTTP (<c>POST /silo/call</c>, JSON). Calls pending to a silo fail
/// at once with <see cref="SiloUnavailableException"/> when that silo is declared dead — they do not wait
/// for the response timeout. A partitioned or killed silo sends nothing.
/// </summary>
internal sealed class SiloMessenger(SiloNetwork network) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly ConcurrentDictionary<SiloAddress, CancellationTokenSource> _alive = new();

    /// <summary>Sends <paramref name="request"/> to <paramref name="target"/> and completes it; returns where to forward it instead, if the target says so.</summary>
    public async Task<SiloAddress?> SendAsync(SiloAddress target, GrainRequest request, bool placed)
    {
        if (network.Partitioned || network.Killed)
        {
            request.Fail(new SiloUnavailableException($"this silo is cut off; {request.Target} on {target} was not called"));
            return null;
        }

        var remaining = request.DeadlineMs - Environment.TickCount64;
        var call = new SiloCall(
            request.Target.Type,
            request.InterfaceType.FullName!, GrainInterfaceInfo.WireNameOf(request.Method), request.Key,
            request.Arguments.Select((a, i) => JsonSerializer.SerializeToElement(a, request.Method.Parameters[i], GrainJson.Options)).ToArray(),
            Chain(request.CallChain), Math.Max(1, remaining), placed);
        var silo = _alive.GetOrAdd(target, _ => new CancellationTokenSource());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(silo.Token);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, remaining)));
        try
        {
            using var response = await _http.PostAsJsonAsync(new Uri(target.Endpoint, "silo/call"), call, GrainJson.Options, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                request.Fail(new SiloUnavailableException($"silo {target} refused the call ({(int)response.StatusCode})"));
                return null;
            }

            var reply = await response.Content.ReadFromJsonAsync<SiloReply>(GrainJson.Options, timeout.Token);
            if (reply?.ForwardTo is { } forward)
            {
                return SiloAddress.Parse(forward);
            }

            if (reply?.Error is { } error)
            {
                request.Fail(GatewayExceptions.FromError(error));
            }
            else
            {
                request.CompleteFromJson(reply?.Result ?? default, GrainJson.Options);
            }
        }
        catch (OperationCanceledException) when (silo.IsCancellationRequested)
        {
            request.Fail(new SiloUnavailableException($"silo {target} was declared dead while {request.Target}.{request.Method.Method.Name} was pending"));
        }
        catch (OperationCanceledException)
        {
            request.Fail(new TimeoutException($"{request.Target}.{request.Method.Method.Name} on silo {target} did not answer in time; its outcome is unknown"));
        }
        catch (HttpRequestException ex)
        {
            request.Fail(new SiloUnavailableException($"silo {target} is unreachable: {ex.Message}"));
        }

        return null;
    }

    /// <summary>Asks <paramref name="silo"/> to do something (POST with no body); failures are ignored: it catches up on its own.</summary>
    public async Task NotifyAsync(SiloAddress silo, string path)
    {
        if (network.Partitioned || network.Killed)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var response = await _http.PostAsync(new Uri(silo.Endpoint, path), content: null, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // The owner rereads its table periodically anyway.
        }
    }

    /// <summary>Fails every call pending to <paramref name="silo"/> now.</summary>
    public void SiloDied(SiloAddress silo)
    {
        if (_alive.TryRemove(silo, out var cts))
        {
            cts.Cancel();
            cts.Dispose();
        }
    }

    public void Dispose() => _http.Dispose();

    private static string[] Chain(CallChain? chain)
    {
        var list = new List<string>();
        for (var node = chain; node is not null; node = node.Next)
        {
            list.Add(node.Grain.ToString());
        }

        return [.. list];
    }

    /// <summary>Rebuilds a call chain sent as a list (newest first).</summary>
    public static CallChain? ToChain(IReadOnlyList<string> grains)
    {
        CallChain? chain = null;
        for (var i = grains.Count - 1; i >= 0; i--)
        {
            chain = new CallChain(GrainId.Parse(grains[i]), chain);
        }

        return chain;
    }
}

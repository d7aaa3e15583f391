using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Runtime.Gateway;
using Microsoft.Extensions.Options;
using OrleansDcos.Runtime.Hosting;
using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Runtime.Messaging;

/// <summary>
/// Sends grain calls to other silos. Calls to one silo queue up; a pump takes what is queued (up to
/// <see cref="MaxBatch"/>) and sends it as one <c>POST /silo/batch</c>, whose answer streams back one
/// NDJSON line per call as soon as that call completes — one round trip for many calls, no call waiting
/// on a slower neighbour. Calls pending to a silo fail at once with <see cref="SiloUnavailableException"/>
/// when it is declared dead (not after the timeout). A partitioned or killed silo sends nothing.
/// </summary>
internal sealed class SiloMessenger(SiloNetwork network, IOptions<GrainRuntimeOptions> options) : IDisposable
{
    public const int MaxBatch = 256;
    /// <summary>Batches being sent at once to one silo (a slot is free again once the batch is sent; its replies stream on).</summary>
    private const int MaxBatchesSending = 2;
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly ConcurrentDictionary<SiloAddress, Target> _targets = new();
    private readonly int _maxQueued = options.Value.MaxQueuedCallsPerSilo;

    /// <summary>Sends <paramref name="request"/> to <paramref name="target"/> and completes it; returns where to forward it instead, if the target says so.</summary>
    public async Task<SiloAddress?> SendAsync(SiloAddress target, GrainRequest request, bool placed)
    {
        if (network.Partitioned || network.Killed)
        {
            request.Fail(new SiloUnavailableException($"this silo is cut off; {request.Target} on {target} was not called"));
            return null;
        }

        var pending = new Pending(request, new SiloCall(
            request.Target.Type,
            request.InterfaceType.FullName!,
            GrainInterfaceInfo.WireNameOf(request.Method),
            request.Key,
            request.Arguments.Select((a, i) => JsonSerializer.SerializeToElement(a, request.Method.Parameters[i], GrainJson.Options)).ToArray(),
            Chain(request.CallChain),
            Math.Max(1, request.DeadlineMs - Environment.TickCount64),
            placed));
        _targets.GetOrAdd(target, t => new Target(this, t)).Enqueue(pending);
        try
        {
            return await pending.Forward.Task.WaitAsync(TimeSpan.FromMilliseconds(Math.Max(1, request.DeadlineMs - Environment.TickCount64)));
        }
        catch (TimeoutException)
        {
            request.Fail(new TimeoutException($"{request.Target}.{request.Method.Method.Name} on silo {target} did not answer in time; its outcome is unknown"));
            return null;
        }
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
        if (_targets.TryRemove(silo, out var target))
        {
            target.Die();
        }
    }

    public void Dispose()
    {
        foreach (var target in _targets.Values)
        {
            target.Die();
        }

        _http.Dispose();
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

    private static string[] Chain(CallChain? chain)
    {
        var list = new List<string>();
        for (var node = chain; node is not null; node = node.Next)
        {
            list.Add(node.Grain.ToString());
        }

        return [.. list];
    }

    /// <summary>Completes a request from its reply line; returns the forward address, if any.</summary>
    private static void Complete(Pending pending, SiloReply reply)
    {
        if (reply.ForwardTo is { } forward)
        {
            pending.Forward.TrySetResult(SiloAddress.Parse(forward));
            return;
        }

        if (reply.Error is { } error)
        {
            pending.Request.Fail(GatewayExceptions.FromError(error));
        }
        else
        {
            pending.Request.CompleteFromJson(reply.Result ?? default, GrainJson.Options);
        }

        pending.Forward.TrySetResult(null);
    }

    private static void Fail(Pending pending, Exception exception)
    {
        pending.Request.Fail(exception);
        pending.Forward.TrySetResult(null);
    }

    private sealed record Pending(GrainRequest Request, SiloCall Call)
    {
        public TaskCompletionSource<SiloAddress?> Forward { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The queue and pump of one target silo.</summary>
    private sealed class Target
    {
        private readonly SiloMessenger _owner;
        private readonly SiloAddress _silo;
        private readonly Channel<Pending> _queue;
        private readonly SemaphoreSlim _sending = new(MaxBatchesSending, MaxBatchesSending);
        private readonly CancellationTokenSource _dead = new();

        public Target(SiloMessenger owner, SiloAddress silo)
        {
            _owner = owner;
            _silo = silo;
            _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(owner._maxQueued)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the caller is told at once
            });
            _ = PumpAsync();
        }

        public void Enqueue(Pending pending)
        {
            if (_queue.Writer.TryWrite(pending))
            {
                return;
            }

            Fail(pending, _dead.IsCancellationRequested
                ? new SiloUnavailableException($"silo {_silo} was declared dead")
                : new GrainOverloadedException($"{_owner._maxQueued} calls are already waiting to be sent to silo {_silo} ({GrainRuntimeOptions.SectionName}:MaxQueuedCallsPerSilo); {pending.Request.Target}.{pending.Request.Method.Method.Name} was not sent"));
        }

        public void Die()
        {
            _queue.Writer.TryComplete();
            _dead.Cancel();
        }

        private async Task PumpAsync()
        {
            try
            {
                while (await _queue.Reader.WaitToReadAsync(_dead.Token))
                {
                    await _sending.WaitAsync(_dead.Token);
                    var batch = new List<Pending>();
                    while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                    {
                        batch.Add(pending);
                    }

                    _ = SendBatchAsync(batch);
                }
            }
            catch (OperationCanceledException)
            {
                // Declared dead.
            }

            while (_queue.Reader.TryRead(out var left))
            {
                Fail(left, new SiloUnavailableException($"silo {_silo} was declared dead"));
            }
        }

        private async Task SendBatchAsync(List<Pending> batch)
        {
            var done = new bool[batch.Count];
            var sent = false;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_silo.Endpoint, "silo/batch"))
                {
                    Content = JsonContent.Create(batch.Select(p => p.Call).ToArray(), options: GrainJson.Options),
                };
                using var response = await _owner._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _dead.Token);

                // Sent: the next batch may go. Replies keep streaming here, so slow calls never hold up others.
                sent = true;
                _sending.Release();
                if (!response.IsSuccessStatusCode)
                {
                    throw new SiloUnavailableException($"silo {_silo} refused the calls ({(int)response.StatusCode})");
                }

                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_dead.Token));
                while (await reader.ReadLineAsync(_dead.Token) is { } line)
                {
                    var reply = JsonSerializer.Deserialize<SiloBatchReply>(line, GrainJson.Options)!;
                    done[reply.Index] = true;
                    Complete(batch[reply.Index], reply.Reply);
                }

                if (done.Any(d => !d))
                {
                    throw new SiloUnavailableException($"silo {_silo} ended the answer before every call was answered");
                }
            }
            catch (Exception ex)
            {
                var failure = _dead.IsCancellationRequested
                    ? new SiloUnavailableException($"silo {_silo} was declared dead while calls to it were pending")
                    : ex as SiloUnavailableException ?? new SiloUnavailableException($"silo {_silo} is unreachable: {ex.Message}");
                for (var i = 0; i < batch.Count; i++)
                {
                    if (!done[i])
                    {
                        Fail(batch[i], failure);
                    }
                }
            }
            finally
            {
                if (!sent)
                {
                    _sending.Release();
                }
            }
        }
    }
}

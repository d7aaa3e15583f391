using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Runtime.Gateway;
using Microsoft.Extensions.Options;
using OrleansDcos.Runtime.Hosting;
using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Runtime.Messaging;

/// <summary>
/// Sends grain calls to other silos over one persistent WebSocket per target silo (<see cref="SiloWire"/>).
/// Calls to one silo queue up; a pump writes whatever is queued (up to <see cref="MaxBatch"/>) as one
/// message, each call tagged with an id; a reader completes calls as their replies come back, in any
/// order, so no call waits on a slower neighbour and no round trip is paid per batch. Calls pending to a
/// silo fail at once with <see cref="SiloUnavailableException"/> when it is declared dead or its link
/// breaks (not after the timeout). A partitioned or killed silo sends nothing and drops its links.
/// </summary>
internal sealed class SiloMessenger : IDisposable
{
    public const int MaxBatch = 256;
    private static readonly TimeSpan ExpirySweep = TimeSpan.FromMilliseconds(100);
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly ConcurrentDictionary<SiloAddress, Target> _targets = new();
    private readonly SiloNetwork _network;
    private readonly int _maxQueued;
    private readonly Timer _expiry;

    public SiloMessenger(SiloNetwork network, IOptions<GrainRuntimeOptions> options)
    {
        _network = network;
        _maxQueued = options.Value.MaxQueuedCallsPerSilo;

        // One sweep for every call's deadline (as Orleans' callback check) instead of a timer per call.
        _expiry = new Timer(_ => ExpireCalls(), null, ExpirySweep, ExpirySweep);
        network.Cut.Register(() =>
        {
            foreach (var target in _targets.Values)
            {
                target.DropLink();
            }
        });
    }

    /// <summary>Sends <paramref name="request"/> to <paramref name="target"/> and completes it; returns where to forward it instead, if the target says so.</summary>
    public async Task<SiloAddress?> SendAsync(SiloAddress target, GrainRequest request, bool placed)
    {
        if (_network.Partitioned || _network.Killed)
        {
            request.Fail(new SiloUnavailableException($"this silo is cut off; {request.Target} on {target} was not called"));
            return null;
        }

        var pending = new Pending(request, placed);
        _targets.GetOrAdd(target, t => new Target(this, t)).Enqueue(pending);
        return await pending.Forward.Task;
    }

    /// <summary>Asks <paramref name="silo"/> to do something (POST with no body); failures are ignored: it catches up on its own.</summary>
    public async Task NotifyAsync(SiloAddress silo, string path)
    {
        if (_network.Partitioned || _network.Killed)
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
        _expiry.Dispose();
        foreach (var target in _targets.Values)
        {
            target.Die();
        }

        _http.Dispose();
    }

    private static void Complete(Pending pending, SiloWire.Answer answer)
    {
        if (answer.ForwardTo is { } forward)
        {
            pending.Forward.TrySetResult(SiloAddress.Parse(forward));
            return;
        }

        if (answer.Error is { } error)
        {
            pending.Request.Fail(GatewayExceptions.FromError(error));
        }
        else
        {
            pending.Request.CompleteFromJson(answer.Result, GrainJson.Options);
        }

        pending.Forward.TrySetResult(null);
    }

    private void ExpireCalls()
    {
        var now = Environment.TickCount64;
        foreach (var target in _targets.Values)
        {
            target.ExpireCalls(now);
        }
    }

    private static TimeoutException TimedOut(Pending pending, SiloAddress silo) =>
        new($"{pending.Request.Target}.{pending.Request.Method.Method.Name} on silo {silo} did not answer in time; its outcome is unknown");

    private static void Fail(Pending pending, Exception exception)
    {
        pending.Request.Fail(exception);
        pending.Forward.TrySetResult(null);
    }

    private sealed class Pending(GrainRequest request, bool placed)
    {
        public GrainRequest Request { get; } = request;

        public bool Placed { get; } = placed;

        /// <summary>Completed by the link's reader; its continuation (the router's) is short, so it runs inline there.</summary>
        public TaskCompletionSource<SiloAddress?> Forward { get; } = new();

        /// <summary>Set once written to a link.</summary>
        public long Id { get; set; }
    }

    /// <summary>The queue and pump of one target silo.</summary>
    private sealed class Target
    {
        private readonly SiloMessenger _owner;
        private readonly SiloAddress _silo;
        private readonly Channel<Pending> _queue;
        private readonly CancellationTokenSource _dead = new();
        private readonly ArrayBufferWriter<byte> _frame = new(64 * 1024);
        private Link? _link;
        private long _nextId;

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
            DropLink();
        }

        public void ExpireCalls(long now) => _link?.ExpireCalls(now);

        public void DropLink() => _link?.Break(new SiloUnavailableException($"the link to silo {_silo} was cut while calls were pending; their outcome is unknown"));

        private async Task PumpAsync()
        {
            var batch = new List<Pending>(MaxBatch);
            try
            {
                while (await _queue.Reader.WaitToReadAsync(_dead.Token))
                {
                    // Let the turns already queued run first: under load their calls join this frame.
                    await Task.Yield();
                    var link = _link is { IsBroken: false } open ? open : null;
                    if (link is null)
                    {
                        try
                        {
                            link = _link = await Link.ConnectAsync(_silo, _dead.Token);
                        }
                        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException)
                        {
                            // Fail what is queued now; later calls try a new connection.
                            var unreachable = new SiloUnavailableException($"silo {_silo} is unreachable: {ex.Message}");
                            for (var i = 0; i < MaxBatch && _queue.Reader.TryRead(out var pending); i++)
                            {
                                Fail(pending, unreachable);
                            }

                            continue;
                        }
                    }

                    batch.Clear();
                    var now = Environment.TickCount64;
                    while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                    {
                        if (pending.Request.DeadlineMs <= now)
                        {
                            Fail(pending, TimedOut(pending, _silo)); // waited out its time in the queue: not sent
                        }
                        else
                        {
                            batch.Add(pending);
                        }
                    }

                    await SendAsync(link, batch);
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

        private async Task SendAsync(Link link, List<Pending> batch)
        {
            while (!TryWriteFrame(batch))
            {
            }

            if (batch.Count == 0)
            {
                return;
            }

            foreach (var pending in batch)
            {
                link.Track(pending);
            }

            await link.SendAsync(_frame.WrittenMemory);
        }

        /// <summary>Writes the batch as one frame; a call whose arguments cannot be written fails alone and is removed (then false: write again).</summary>
        private bool TryWriteFrame(List<Pending> batch)
        {
            _frame.ResetWrittenCount();
            using var writer = new Utf8JsonWriter(_frame);
            writer.WriteStartArray();
            foreach (var pending in batch)
            {
                pending.Id = ++_nextId;
                try
                {
                    SiloWire.WriteCall(writer, pending.Id, pending.Request, pending.Placed);
                }
                catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
                {
                    batch.Remove(pending);
                    Fail(pending, new ArgumentException($"the arguments of {pending.Request.Target}.{pending.Request.Method.Method.Name} cannot be sent: {ex.Message}", ex));
                    return false;
                }
            }

            writer.WriteEndArray();
            return true;
        }
    }

    /// <summary>One open WebSocket to a target silo and the calls sent on it that await replies.</summary>
    private sealed class Link
    {
        private readonly ClientWebSocket _socket;
        private readonly SiloAddress _silo;
        private readonly ConcurrentDictionary<long, Pending> _inflight = new();
        private Exception? _broken;

        private Link(ClientWebSocket socket, SiloAddress silo)
        {
            _socket = socket;
            _silo = silo;
            _ = ReceiveAsync();
        }

        public bool IsBroken => Volatile.Read(ref _broken) is not null;

        public static async Task<Link> ConnectAsync(SiloAddress silo, CancellationToken cancellationToken)
        {
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var endpoint = new UriBuilder(silo.Endpoint) { Scheme = "ws", Path = SiloWire.Path }.Uri;
                await socket.ConnectAsync(endpoint, timeout.Token);
                return new Link(socket, silo);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new WebSocketException($"no link within 5 s");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        public void Track(Pending pending)
        {
            _inflight[pending.Id] = pending;
            if (IsBroken)
            {
                FailAll(); // broke meanwhile: nobody else will answer it
            }
        }

        public void ExpireCalls(long now)
        {
            foreach (var (id, pending) in _inflight)
            {
                if (pending.Request.DeadlineMs <= now && _inflight.TryRemove(id, out _))
                {
                    Fail(pending, TimedOut(pending, _silo));
                }
            }
        }

        public async Task SendAsync(ReadOnlyMemory<byte> frame)
        {
            try
            {
                await _socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
            {
                Break(new SiloUnavailableException($"silo {_silo} is unreachable: {ex.Message}"));
            }
        }

        public void Break(Exception reason)
        {
            if (Interlocked.CompareExchange(ref _broken, reason, null) is null)
            {
                _socket.Abort();
                _socket.Dispose();
            }

            FailAll();
        }

        private void FailAll()
        {
            var reason = _broken!;
            foreach (var id in _inflight.Keys)
            {
                if (_inflight.TryRemove(id, out var pending))
                {
                    Fail(pending, reason);
                }
            }
        }

        private async Task ReceiveAsync()
        {
            var buffer = new ArrayBufferWriter<byte>(64 * 1024);
            try
            {
                while (await SiloWire.ReceiveAsync(_socket, buffer, CancellationToken.None))
                {
                    using var replies = JsonDocument.Parse(buffer.WrittenMemory);
                    foreach (var reply in replies.RootElement.EnumerateArray())
                    {
                        var answer = SiloWire.Answer.Read(reply);
                        if (_inflight.TryRemove(answer.Id, out var pending))
                        {
                            Complete(pending, answer);
                        }
                    }
                }

                Break(new SiloUnavailableException($"silo {_silo} closed the link while calls were pending; their outcome is unknown"));
            }
            catch (Exception ex)
            {
                Break(new SiloUnavailableException($"the link to silo {_silo} broke while calls were pending ({ex.Message}); their outcome is unknown"));
            }
        }
    }
}

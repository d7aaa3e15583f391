namespace OrleansDcos.Tests.Support.Marathon;

/// <summary>Keeps every event of Marathon's <c>/v2/events</c> stream from the moment it is attached, until disposed.</summary>
public sealed class SseCollector : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<SseEvent> _events = [];
    private readonly Task _reading;

    private SseCollector(Uri gateway)
    {
        _http = new HttpClient { BaseAddress = gateway, Timeout = Timeout.InfiniteTimeSpan };
        _reading = Task.Run(async () =>
        {
            await foreach (var e in SseReader.ReadAsync(_http, "/v2/events", cancellationToken: _stop.Token))
            {
                lock (_events)
                {
                    _events.Add(e);
                }
            }
        });
    }

    /// <summary>The events so far, in order.</summary>
    public IReadOnlyList<SseEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Attaches to the silo at <paramref name="gateway"/> and waits for <c>event_stream_attached</c>.</summary>
    public static async Task<SseCollector> AttachAsync(Uri gateway)
    {
        var collector = new SseCollector(gateway);
        await Poll.UntilAsync(() => Task.FromResult(collector.Events.Any(e => e.Type == "event_stream_attached")), TimeSpan.FromSeconds(10), "attached to /v2/events");
        return collector;
    }

    /// <summary>Stops reading; <see cref="Events"/> keeps what was read.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading.ContinueWith(_ => { }, TaskScheduler.Default);
        _http.Dispose();
        _stop.Dispose();
    }
}

using OrleansDcos.Tests.Support.Marathon;

namespace OrleansDcos.Tests.Support.Chaos;

/// <summary>
/// Follows Marathon's <c>/v2/events</c> through the soak: when its silo dies it attaches to another and resumes after
/// the last event it read (<c>Last-Event-ID</c>, a position in the cluster's event log), so nothing is missed; events
/// read twice are kept once.
/// </summary>
public sealed class EventWatch : IAsyncDisposable
{
    private readonly List<SseEvent> _events = [];
    private readonly HashSet<long> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    /// <summary>Starts following, first from a silo of <paramref name="cluster"/>.</summary>
    public EventWatch(ChaosCluster cluster, Random random)
    {
        _reading = Task.Run(() => FollowAsync(cluster, random));
    }

    /// <summary>Attachments made (the first, and one after each stream that ended).</summary>
    public int Attachments { get; private set; }

    /// <summary>The events read so far, in log order.</summary>
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

    private async Task FollowAsync(ChaosCluster cluster, Random random)
    {
        long? last = null;
        while (!_stop.IsCancellationRequested)
        {
            using var http = new HttpClient { BaseAddress = cluster.AnySilo(random), Timeout = Timeout.InfiniteTimeSpan };
            try
            {
                Attachments++;
                await foreach (var e in SseReader.ReadAsync(http, "/v2/events", last, _stop.Token))
                {
                    if (e.Id is { } id)
                    {
                        last = id;
                        lock (_events)
                        {
                            if (_seen.Add(id))
                            {
                                _events.Add(e);
                            }
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                // The silo went away (or is not up yet): attach elsewhere.
            }

            try
            {
                await Task.Delay(200, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
    }
}

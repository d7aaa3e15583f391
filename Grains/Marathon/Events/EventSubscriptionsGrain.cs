using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using Orleans.Streams;
using OrleansDcos.Providers.Streams;

namespace OrleansDcos.Grains.Marathon.Events;

/// <summary>
/// Marathon's HTTP callbacks: an interleaved loop reads the durable event stream from the last delivered sequence and
/// POSTs each event (its JSON, as Marathon does) to every callback URL at once; a subscriber that does not answer 2xx
/// is retried with backoff (<c>Marathon:CallbackAttempts</c>, 1 s doubling) before the event is given up for it, so
/// one slow subscriber delays but never loses events for the others. The position survives a failover, so events are
/// delivered at least once.
/// </summary>
internal sealed class EventSubscriptionsGrain(
    [PersistentState("event-subscriptions")] IPersistentState<EventSubscriptionsState> state,
    IOptions<MarathonOptions> options,
    EventLogReader events,
    TimeProvider time,
    MarathonHttpClients http,
    ILogger<EventSubscriptionsGrain> logger) : Grain, IEventSubscriptionsGrain
{
    private readonly MarathonOptions _options = options.Value;
    private IDisposable? _loop;
    private DateTime _lastSave = DateTime.MinValue;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Delivered == 0)
        {
            // New: deliver from now on, not the history.
            state.State.Delivered = await Head();
        }

        if (state.State.CallbackUrls.Count > 0)
        {
            Start();
        }
    }

    /// <inheritdoc />
    public Task Ping() => Task.CompletedTask;

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(state.State.CallbackUrls.ToList());

    /// <inheritdoc />
    public async Task Subscribe(string callbackUrl, string? clientIp)
    {
        if (!state.State.CallbackUrls.Contains(callbackUrl))
        {
            if (state.State.CallbackUrls.Count == 0)
            {
                state.State.Delivered = await Head();
            }

            state.State.CallbackUrls.Add(callbackUrl);
            await state.WriteStateAsync();
        }

        await Stream().OnNextAsync(MarathonEvent.Of(time.GetUtcNow(), MarathonEventStream.Subscribe, new JsonObject { ["clientIp"] = clientIp, ["callbackUrl"] = callbackUrl }));
        Start();
    }

    /// <inheritdoc />
    public async Task<bool> Unsubscribe(string callbackUrl, string? clientIp)
    {
        if (!state.State.CallbackUrls.Remove(callbackUrl))
        {
            return false;
        }

        await state.WriteStateAsync();
        await Stream().OnNextAsync(MarathonEvent.Of(time.GetUtcNow(), MarathonEventStream.Unsubscribe, new JsonObject { ["clientIp"] = clientIp, ["callbackUrl"] = callbackUrl }));
        return true;
    }

    private void Start()
    {
        DelayDeactivation(TimeSpan.FromDays(365));
        _loop ??= this.RegisterGrainTimer(DeliverAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    private async Task DeliverAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                await foreach (var (item, position) in events.FollowAsync<MarathonEvent>(MarathonEventStream.ProviderName, DcosStreams.MarathonEvents, state.State.Delivered, cancellation))
                {
                    var urls = state.State.CallbackUrls.ToList();
                    await Task.WhenAll(urls.Select(url => PostAsync(url, item, cancellation)));
                    state.State.Delivered = position;
                    if (time.GetUtcNow().UtcDateTime - _lastSave > TimeSpan.FromSeconds(1))
                    {
                        _lastSave = time.GetUtcNow().UtcDateTime;
                        await state.WriteStateAsync();
                    }
                }
            }
            catch (StreamPositionNotRetainedException ex)
            {
                MarathonLog.CallbacksRewound(logger, ex.Message);
                state.State.Delivered = 0;
            }
            catch (Exception ex) when (!cancellation.IsCancellationRequested)
            {
                MarathonLog.CallbacksFailed(logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task PostAsync(string url, MarathonEvent item, CancellationToken cancellation)
    {
        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; attempt <= _options.CallbackAttempts; attempt++)
        {
            try
            {
                using var content = new StringContent(item.Json, Encoding.UTF8);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.Callbacks.PostAsync(url, content, cancellation);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                MarathonLog.CallbackAnswered(logger, url, (int)response.StatusCode, item.EventType, attempt);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
            {
                MarathonLog.CallbackFailed(logger, url, item.EventType, attempt, ex.Message);
            }

            if (attempt < _options.CallbackAttempts)
            {
                await Task.Delay(delay, cancellation);
                delay *= 2;
            }
        }

        MarathonLog.CallbackGivenUp(logger, url, item.EventType, _options.CallbackAttempts);
    }

    private Task<long> Head() => events.HeadAsync(MarathonEventStream.ProviderName, DcosStreams.MarathonEvents);

    private IAsyncStream<MarathonEvent> Stream() => this.GetStreamProvider(MarathonEventStream.ProviderName).GetStream<MarathonEvent>(DcosStreams.MarathonEvents);
}

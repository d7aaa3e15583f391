using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Runtime.Streams;

/// <summary>
/// A stream provider over an <see cref="IStreamStore"/> (durable in SQL, or in memory), with the
/// delivery agent: each stream is delivered by one pass at a time, consumer by consumer, event by
/// event in sequence order; a consumer's checkpoint is saved after each batch it completed, so after
/// a crash it gets at most that batch again (at least once, never a gap). Local appends wake delivery
/// at once; a poll finds appends made by other processes and new streams of implicit namespaces.
/// </summary>
internal sealed partial class PersistentStreamProvider : IStreamProvider, IAsyncDisposable
{
    private readonly ConcurrentDictionary<StreamId, StreamState> _streams = new();
    private readonly IReadOnlyList<ImplicitSubscription> _implicit;
    private readonly Catalog _catalog;
    private readonly IRingOwnership _ownership;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _poller;

    public PersistentStreamProvider(string name, IStreamStore store, StreamProviderOptions options, Catalog catalog, IRingOwnership ownership, ILogger logger)
    {
        _ownership = ownership;
        Name = name;
        Store = store;
        Options = options;
        _catalog = catalog;
        _logger = logger;
        _implicit = ImplicitSubscription.Find(catalog.Registry);
        _poller = Task.Run(() => PollAsync(_stopping.Token));
    }

    public string Name { get; }

    public IStreamStore Store { get; }

    public StreamProviderOptions Options { get; }

    public IAsyncStream<T> GetStream<T>(StreamId id) => new AsyncStream<T>(this, id);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _poller;
        _stopping.Dispose();
    }

    internal StreamState State(StreamId id) => _streams.GetOrAdd(id, static i => new StreamState(i));

    internal async Task<StreamSequenceToken> AppendAsync(StreamId id, string json, CancellationToken cancellationToken)
    {
        var sequence = await Store.AppendAsync(Name, id, json, cancellationToken);
        Kick(State(id));
        return new StreamSequenceToken(sequence);
    }

    internal async Task<long> CheckRetainedAsync(StreamId id, StreamSequenceToken after)
    {
        var oldest = await Store.OldestRetainedAsync(Name, id);
        if (after.Sequence < oldest - 1)
        {
            throw new StreamPositionNotRetainedException($"stream {id}: position {after.Sequence} is no longer retained; the oldest kept event is {oldest}");
        }

        return after.Sequence;
    }

    internal void Attach(StreamConsumer consumer)
    {
        var state = State(consumer.Stream);
        state.Attach(consumer);
        Kick(state);
    }

    internal void Detach(StreamId id, string checkpointKey) => State(id).Detach(checkpointKey);

    /// <summary>Wakes followers and starts a delivery pass (or marks the running one to go again).</summary>
    private void Kick(StreamState state)
    {
        state.Signal();
        if (state.HasConsumers || HasImplicit(state.Id))
        {
            _ = DeliverAsync(state);
        }
    }

    private async Task DeliverAsync(StreamState state)
    {
        state.MarkDirty();
        if (!await state.Gate.WaitAsync(0))
        {
            return; // the running pass sees the mark and goes again
        }

        try
        {
            while (state.TakeDirty())
            {
                await ResolveImplicitAsync(state);
                foreach (var consumer in state.Snapshot())
                {
                    await DrainAsync(consumer);
                }
            }
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            Log.DeliveryFailed(_logger, ex, Name, state.Id);
        }
        finally
        {
            state.Gate.Release();
        }

        if (state.IsDirty && !_stopping.IsCancellationRequested)
        {
            _ = DeliverAsync(state);
        }
    }

    /// <summary>True when the stream has implicit subscribers that this silo delivers to (it owns the stream on the ring).</summary>
    private bool HasImplicit(StreamId id) => _implicit.Any(i => i.Namespace == id.Namespace) && _ownership.Owns(id.ToString());

    /// <summary>
    /// Adds the implicitly subscribed grains of the stream's namespace as consumers, from their saved checkpoints
    /// (or the beginning) — only on the silo that owns the stream; a silo that lost it detaches them.
    /// </summary>
    private async Task ResolveImplicitAsync(StreamState state)
    {
        if (!_ownership.Owns(state.Id.ToString()))
        {
            if (state.ImplicitResolved)
            {
                foreach (var subscription in _implicit.Where(i => i.Namespace == state.Id.Namespace))
                {
                    state.Detach(StreamConsumerKeys.Implicit(subscription.GrainClass.GrainType, state.Id));
                }

                state.ImplicitResolved = false;
            }

            return;
        }

        if (state.ImplicitResolved)
        {
            return;
        }

        foreach (var subscription in _implicit.Where(i => i.Namespace == state.Id.Namespace))
        {
            var key = StreamConsumerKeys.Implicit(subscription.GrainClass.GrainType, state.Id);
            var checkpoint = await Store.LoadCheckpointAsync(Name, key) ?? 0;
            state.Attach(new ImplicitConsumer(state.Id, subscription, checkpoint, _catalog));
        }

        state.ImplicitResolved = true;
    }

    private async Task DrainAsync(StreamConsumer consumer)
    {
        while (consumer.Active)
        {
            var events = await Store.ReadAsync(Name, consumer.Stream, consumer.Checkpoint, Options.BatchSize);
            if (events.Count == 0)
            {
                return;
            }

            if (events[0].Sequence > consumer.Checkpoint + 1)
            {
                Log.RetentionGap(_logger, Name, consumer.Stream, consumer.CheckpointKey, consumer.Checkpoint + 1, events[0].Sequence - 1);
            }

            foreach (var stored in events)
            {
                await DeliverWithRetriesAsync(consumer, stored);
                if (!consumer.Active)
                {
                    break;
                }

                consumer.Checkpoint = stored.Sequence;
            }

            await Store.SaveCheckpointAsync(Name, consumer.CheckpointKey, consumer.Checkpoint);
        }
    }

    private async Task DeliverWithRetriesAsync(StreamConsumer consumer, StoredEvent stored)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await consumer.DeliverAsync(stored);
                return;
            }
            catch (Exception ex) when (consumer.Active && attempt < Options.MaxDeliveryAttempts)
            {
                Log.DeliveryRetry(_logger, ex, Name, consumer.Stream, stored.Sequence, consumer.CheckpointKey, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
            }
            catch (Exception ex) when (consumer.Active)
            {
                Log.DeliveryGaveUp(_logger, ex, Name, consumer.Stream, stored.Sequence, consumer.CheckpointKey, attempt);
                return;
            }
            catch (Exception)
            {
                return; // detached while delivering: its checkpoint stays before this event
            }
        }
    }

    /// <summary>Finds what other processes appended, retries stalled consumers, and trims old events.</summary>
    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.PollInterval);
        var lastTrim = DateTimeOffset.MinValue;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    foreach (var state in _streams.Values.Where(s => s.HasConsumers))
                    {
                        _ = DeliverAsync(state);
                        state.Signal();
                    }

                    foreach (var streamNamespace in _implicit.Select(i => i.Namespace).Distinct())
                    {
                        foreach (var (stream, _) in await Store.HeadsAsync(Name, streamNamespace, cancellationToken))
                        {
                            var state = State(stream);
                            if (state.ImplicitResolved || _ownership.Owns(stream.ToString()))
                            {
                                _ = DeliverAsync(state); // delivers if owned; detaches if ownership moved away
                            }
                        }
                    }

                    var now = DateTimeOffset.UtcNow;
                    if (now - lastTrim > TimeSpan.FromMinutes(1))
                    {
                        lastTrim = now;
                        await Store.TrimAsync(Name, now - Options.Retention, cancellationToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.PollFailed(_logger, ex, Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    internal static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, GrainJson.Options)!;

    private static partial class Log
    {
        [LoggerMessage(1201, LogLevel.Warning, "Stream provider {Provider}: delivery on {Stream} failed; it resumes at the next poll")]
        public static partial void DeliveryFailed(ILogger logger, Exception exception, string provider, StreamId stream);

        [LoggerMessage(1202, LogLevel.Information, "Stream provider {Provider}: event {Sequence} of {Stream} failed for {Consumer} (attempt {Attempt}); retrying")]
        public static partial void DeliveryRetry(ILogger logger, Exception exception, string provider, StreamId stream, long sequence, string consumer, int attempt);

        [LoggerMessage(1203, LogLevel.Error, "Stream provider {Provider}: event {Sequence} of {Stream} failed for {Consumer} {Attempt} times; skipped")]
        public static partial void DeliveryGaveUp(ILogger logger, Exception exception, string provider, StreamId stream, long sequence, string consumer, int attempt);

        [LoggerMessage(1204, LogLevel.Warning, "Stream provider {Provider}: {Consumer} of {Stream} lost events {From}..{To} to retention")]
        public static partial void RetentionGap(ILogger logger, string provider, StreamId stream, string consumer, long from, long to);

        [LoggerMessage(1205, LogLevel.Warning, "Stream provider {Provider}: polling failed; will retry")]
        public static partial void PollFailed(ILogger logger, Exception exception, string provider);
    }
}

using System.Collections.Concurrent;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace OrleansDcos.Tests.Orleans.Streams;

/// <summary>What the test streams carry.</summary>
[GenerateSerializer]
[Alias("dcos.test.Tick")]
public sealed record Tick([property: Id(0)] string Producer, [property: Id(1)] int Number);

/// <summary>Publishes ticks on a stream of provider "events".</summary>
public interface ITickPublisherGrain : IGrainWithStringKey
{
    /// <summary>Publishes <paramref name="count"/> ticks numbered from <paramref name="from"/> on stream (<paramref name="ns"/>, <paramref name="key"/>), each awaited.</summary>
    Task Publish(string ns, string key, int from, int count);
}

/// <inheritdoc cref="ITickPublisherGrain" />
public sealed class TickPublisherGrain : Grain, ITickPublisherGrain
{
    /// <inheritdoc />
    public async Task Publish(string ns, string key, int from, int count)
    {
        var stream = this.GetStreamProvider(StreamNames.Provider).GetStream<Tick>(StreamId.Create(ns, key));
        for (var i = from; i < from + count; i++)
        {
            await stream.OnNextAsync(new Tick(this.GetPrimaryKeyString(), i));
        }
    }
}

/// <summary>Names the stream tests share.</summary>
public static class StreamNames
{
    /// <summary>The provider.</summary>
    public const string Provider = "events";

    /// <summary>The namespace consumed implicitly by <see cref="TickRecorderGrain"/>.</summary>
    public const string Recorded = "recorded";
}

/// <summary>What every recorder received, by its key (shared by all silos of an in-process cluster).</summary>
public static class Received
{
    /// <summary>(tick number, position) in order of arrival, per recorder key.</summary>
    public static ConcurrentDictionary<string, List<(int Number, long Position)>> ByKey { get; } = new(StringComparer.Ordinal);

    /// <summary>What <paramref name="key"/> received so far (a copy).</summary>
    public static (int Number, long Position)[] Of(string key)
    {
        var list = ByKey.GetOrAdd(key, _ => []);
        lock (list)
        {
            return [.. list];
        }
    }

    /// <summary>Records one delivery.</summary>
    public static void Add(string key, int number, long position)
    {
        var list = ByKey.GetOrAdd(key, _ => []);
        lock (list)
        {
            list.Add((number, position));
        }
    }
}

/// <summary>Consumes the "recorded" stream of its own key (implicit subscription) and records every tick with its position.</summary>
public interface ITickRecorderGrain : IGrainWithStringKey
{
    /// <summary>Activates the recorder.</summary>
    Task Wake();
}

/// <inheritdoc cref="ITickRecorderGrain" />
[ImplicitStreamSubscription(StreamNames.Recorded)]
public sealed class TickRecorderGrain : Grain, ITickRecorderGrain, IStreamSubscriptionObserver
{
    /// <inheritdoc />
    public Task Wake() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        var handle = handleFactory.Create<Tick>();
        await handle.ResumeAsync((tick, token) =>
        {
            Received.Add(this.GetPrimaryKeyString(), tick.Number, token!.SequenceNumber);
            return Task.CompletedTask;
        });
    }
}

/// <summary>Subscribes explicitly to a stream from a given position and records what it gets.</summary>
public interface ITickFollowerGrain : IGrainWithStringKey
{
    /// <summary>Follows stream (ns, key) from after <paramref name="position"/> (0: from now on).</summary>
    Task Follow(string ns, string key, long position);
}

/// <inheritdoc cref="ITickFollowerGrain" />
public sealed class TickFollowerGrain : Grain, ITickFollowerGrain
{
    /// <inheritdoc />
    public async Task Follow(string ns, string key, long position)
    {
        var stream = this.GetStreamProvider(StreamNames.Provider).GetStream<Tick>(StreamId.Create(ns, key));
        Task OnNext(Tick tick, StreamSequenceToken? token)
        {
            Received.Add(this.GetPrimaryKeyString(), tick.Number, token!.SequenceNumber);
            return Task.CompletedTask;
        }

        _ = position > 0
            // A token names the first event to deliver: the one after the last seen is at least position + 1.
            ? await stream.SubscribeAsync(OnNext, new global::Orleans.Providers.Streams.Common.EventSequenceTokenV2(position + 1))
            : await stream.SubscribeAsync(OnNext);
    }
}

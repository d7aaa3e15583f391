using Orleans.Streams;

namespace OrleansDcos.Tests.Orleans.Streams;

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

using Orleans.Streams;
using Orleans.Streams.Core;

namespace OrleansDcos.Tests.Orleans.Streams;

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

namespace OrleansDcos.Tests.Orleans.Streams;

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

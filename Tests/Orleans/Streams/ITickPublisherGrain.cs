namespace OrleansDcos.Tests.Orleans.Streams;

/// <summary>Publishes ticks on a stream of provider "events".</summary>
public interface ITickPublisherGrain : IGrainWithStringKey
{
    /// <summary>Publishes <paramref name="count"/> ticks numbered from <paramref name="from"/> on stream (<paramref name="ns"/>, <paramref name="key"/>), each awaited.</summary>
    Task Publish(string ns, string key, int from, int count);
}

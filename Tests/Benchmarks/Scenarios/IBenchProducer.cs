namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>An Orleans grain that publishes task status events on the master's task-status stream, each awaited (durable) before the next.</summary>
public interface IBenchProducer : IGrainWithIntegerKey
{
    /// <summary>Publishes <paramref name="count"/> events on provider <paramref name="provider"/>.</summary>
    Task Publish(string provider, int count);
}

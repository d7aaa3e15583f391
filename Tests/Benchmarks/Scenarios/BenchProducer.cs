using OrleansDcos.Grains;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>An Orleans grain that publishes task status events on the master's task-status stream, each awaited (durable) before the next.</summary>
public interface IBenchProducer : IGrainWithIntegerKey
{
    /// <summary>Publishes <paramref name="count"/> events on provider <paramref name="provider"/>.</summary>
    Task Publish(string provider, int count);
}

/// <inheritdoc cref="IBenchProducer" />
public sealed class BenchProducer : Grain, IBenchProducer
{
    /// <inheritdoc />
    public async Task Publish(string provider, int count)
    {
        var writer = this.GetPrimaryKeyLong();
        var stream = this.GetStreamProvider(provider).GetStream<TaskStatusEvent>(DcosStreams.TaskStatuses);
        for (var i = 0; i < count; i++)
        {
            await stream.OnNextAsync(new TaskStatusEvent($"agent-{writer}", new TaskStatusUpdate(
                $"fw{writer % 100}.{i}", $"fw{writer % 100}", TaskState.TASK_RUNNING, Guid.NewGuid(), 1.7e9), MasterStreams.SourceAgent));
        }
    }
}

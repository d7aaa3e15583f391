using OrleansDcos.Grains;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;

namespace OrleansDcos.Benchmarks.Scenarios;

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

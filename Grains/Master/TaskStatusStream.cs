using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// The task-status stream, one handle for the whole silo. A grain that asks its own stream provider for a stream gets
/// a handle kept in a stream directory of its own (a concurrent dictionary and the handle, ~0.6 KB); 10,000 agent
/// grains that only publish share this one instead. A persistent stream's producer is stateless (each event goes to
/// the queue adapter), so the handle serves every grain alike; should the grain that first asked for it deactivate,
/// its producer is simply made again on the next event.
/// </summary>
public sealed class TaskStatusStream(IServiceProvider services)
{
    private IAsyncStream<TaskStatusEvent>? _stream;

    /// <summary>The stream (<see cref="DcosStreams.TaskStatuses"/> in the master's provider).</summary>
    public IAsyncStream<TaskStatusEvent> Stream =>
        _stream ??= services.GetRequiredKeyedService<IStreamProvider>(MasterStreamProvider.Name).GetStream<TaskStatusEvent>(DcosStreams.TaskStatuses);
}

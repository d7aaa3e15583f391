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

    /// <summary>
    /// Appends <paramref name="events"/>, concurrently: callers pass at most one update per task (an agent sends a task's
    /// next update only after the last was acknowledged; the master makes one per task and call), so every task keeps
    /// its order. Completes when all are durable, or fails with the first failure.
    /// </summary>
    public Task PublishAsync(IReadOnlyList<TaskStatusEvent> events) => events.Count switch
    {
        0 => Task.CompletedTask,
        1 => Stream.OnNextAsync(events[0]),
        _ => Task.WhenAll(events.Select(e => Stream.OnNextAsync(e))),
    };
}

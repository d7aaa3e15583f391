using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Master;

/// <summary>Status updates published durably on the task-status stream first, then forwarded to their frameworks, in order.</summary>
internal sealed partial class AgentGrain
{
    private async Task PublishAndForwardAsync(IReadOnlyList<TaskStatusUpdate> updates, string source)
    {
        if (updates.Count > 0 && await Publication(updates, updates, source) is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <summary>
    /// Publishes <paramref name="toPublish"/> on the durable stream, then forwards <paramref name="toForward"/> to their
    /// frameworks, after every publication this activation began before: whoever reports (the daemon, or the master
    /// itself), the stream and the frameworks see one order. Completes with the failure, if any: those updates are then
    /// published again when the daemon resends them.
    /// </summary>
    private Task<Exception?> Publication(IReadOnlyList<TaskStatusUpdate> toPublish, IReadOnlyList<TaskStatusUpdate> toForward, string source)
    {
        return _published.Then(() => PublishThenForwardAsync(toPublish, toForward, source));
    }

    private async Task<Exception?> PublishThenForwardAsync(IReadOnlyList<TaskStatusUpdate> toPublish, IReadOnlyList<TaskStatusUpdate> toForward, string source)
    {
        try
        {
            await PublishAsync(toPublish, source);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            MasterLog.AgentUpdatesNotPublished(logger, AgentId, toPublish.Count, ex.Message);
            foreach (var update in toPublish)
            {
                if (_tasks.TryGetValue(update.TaskId, out var entry) && entry.LastPublished == update.Uuid)
                {
                    entry.LastPublished = null;
                }
            }

            return ex;
        }

        Forward(toForward, source);
        return null;
    }

    private Task PublishAsync(IReadOnlyList<TaskStatusUpdate> updates, string source)
    {
        var ip = state.State.Info?.Ip;
        return statuses.PublishAsync(updates.Select(u => Discoverable(new TaskStatusEvent(AgentId, u, source, ip))).ToArray());
    }

    /// <summary>A RUNNING update carries the task's name and discovery (its ports, named where the framework named them).</summary>
    private TaskStatusEvent Discoverable(TaskStatusEvent update) =>
        update.Status.State == TaskState.TASK_RUNNING && _tasks.TryGetValue(update.Status.TaskId, out var entry)
            ? update with { TaskName = entry.Task.Name, Discovery = entry.Task.Discovery ?? DiscoverySpec.Of(entry.Task.Resources) }
            : update;

    private void Forward(IReadOnlyList<TaskStatusUpdate> updates, string source)
    {
        var ip = state.State.Info?.Ip;
        foreach (var group in updates.GroupBy(u => u.FrameworkId))
        {
            _ = GrainFactory.GetGrain<IFrameworkGrain>(group.Key).ReceiveUpdates(group.Select(u => new TaskStatusEvent(AgentId, u, source, ip)).ToArray());
        }
    }
}

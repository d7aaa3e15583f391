using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Marathon.Apps;

/// <summary>
/// A pod's instances: each a task group whose containers report one by one. The instance is as far as its least
/// advanced container (RUNNING when all run), healthy when every checked container is, and ends when a container
/// fails (the agent kills the rest of the group; so does the app) or when all have ended.
/// </summary>
internal sealed partial class AppGrain
{
    /// <summary>The Mesos tasks of <paramref name="instance"/> still live: its containers' for a pod, else its own.</summary>
    private static IEnumerable<string> LiveTaskIdsOf(InstanceRecord instance) => instance.Containers is { } containers
        ? containers.Where(c => !c.Value.State.IsTerminal()).Select(c => MarathonKeys.PodTaskId(instance.TaskId, c.Key))
        : [instance.TaskId];

    /// <summary>
    /// A container's update as the update of its pod instance: recorded per container, then folded into one instance
    /// update (null when the instance's state, health and message do not change).
    /// </summary>
    private TaskStatusUpdate? FoldContainerUpdate(InstanceRecord instance, TaskStatusUpdate update)
    {
        var container = update.TaskId[(instance.TaskId.Length + 1)..];
        var containers = new Dictionary<string, PodContainerState>(instance.Containers!, StringComparer.Ordinal)
        {
            [container] = new PodContainerState(update.State, update.Healthy ?? instance.Containers!.GetValueOrDefault(container)?.Healthy,
                MarathonKeys.Timestamp(update.Timestamp), update.Message),
        };
        S.Instances[instance.TaskId] = instance with { Containers = containers };
        var states = containers.Values.Select(c => c.State).ToList();
        var failed = containers.FirstOrDefault(c => c.Value.State.IsTerminal() && c.Value.State != TaskState.TASK_FINISHED);
        TaskState state;
        string? message = null;
        if (failed.Key is not null)
        {
            state = failed.Value.State;
            message = $"container {failed.Key}: {failed.Value.State}{(failed.Value.Message is { } why ? $" ({why})" : "")}";
            var rest = containers.Where(c => !c.Value.State.IsTerminal()).Select(c => new InstanceKill(MarathonKeys.PodTaskId(instance.TaskId, c.Key), instance.AgentId, null)).ToList();
            if (rest.Count > 0)
            {
                _ = Scheduler.Kill(rest);
            }
        }
        else if (states.All(s => s == TaskState.TASK_FINISHED))
        {
            state = TaskState.TASK_FINISHED;
        }
        else if (states.Any(s => s == TaskState.TASK_UNREACHABLE))
        {
            state = TaskState.TASK_UNREACHABLE;
        }
        else
        {
            var live = states.Where(s => !s.IsTerminal()).ToList();
            state = live.Contains(TaskState.TASK_STAGING) ? TaskState.TASK_STAGING
                : live.Contains(TaskState.TASK_STARTING) ? TaskState.TASK_STARTING
                : live.Contains(TaskState.TASK_KILLING) ? TaskState.TASK_KILLING
                : TaskState.TASK_RUNNING;
        }

        var checkedContainers = S.Applied?.Pod?.Containers.Where(c => c.HealthCheck is not null).Select(c => c.Name).ToList() ?? [];
        bool? healthy = checkedContainers.Count == 0 ? null
            : checkedContainers.All(c => containers.GetValueOrDefault(c)?.Healthy == true) ? true
            : checkedContainers.Any(c => containers.GetValueOrDefault(c)?.Healthy == false) ? false
            : null;
        if (state == instance.State && healthy == instance.Healthy && !state.IsTerminal())
        {
            return null;
        }

        return update with
        {
            TaskId = instance.TaskId,
            State = state,
            Healthy = healthy,
            Message = message ?? update.Message,
            Reason = failed.Key is not null ? update.Reason : state == update.State ? update.Reason : null,
        };
    }
}

using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Master;

/// <summary>The agent seen from its frameworks: launches, kills, acknowledgements, shutdowns and task queries.</summary>
internal sealed partial class AgentGrain
{
    /// <inheritdoc />
    public async Task Launch(string frameworkId, IReadOnlyList<TaskSpec> tasks)
    {
        var reachable = _link is not null && state.State.Status == AgentStatus.Active;
        MasterLog.AgentLaunch(logger, AgentId, tasks.Select(t => t.TaskId), _link, state.State.Status);

        var dropped = new List<TaskStatusUpdate>();
        var launch = new List<TaskSpec>();
        foreach (var spec in tasks)
        {
            var task = new AgentTask(spec.TaskId, frameworkId, spec.Name, spec.Role, spec.Resources, TaskState.TASK_STAGING, Timestamp: Timestamp(),
                Discovery: spec.Discovery ?? (spec.HealthCheck is null ? null : DiscoverySpec.Of(spec.Resources, healthChecked: true)));
            if (!reachable || _tasks.TryGetValue(spec.TaskId, out var existing) && !existing.Task.State.IsTerminal())
            {
                var why = reachable ? "a task with this id already runs on the agent" : $"agent '{AgentId}' is {(_link is null ? "disconnected" : state.State.Status.ToString().ToLowerInvariant())}";
                dropped.Add(MasterUpdate(task, TaskState.TASK_DROPPED, reachable ? TaskReasons.TaskInvalid : TaskReasons.AgentDisconnected, why));
                await Allocator.Recover(AgentId, frameworkId, spec.Role, spec.Resources);
                continue;
            }

            _tasks[spec.TaskId] = new TaskEntry(task) { Counted = true };
            launch.Add(spec with { FrameworkId = frameworkId });
        }

        if (launch.Count > 0)
        {
            // A task group travels as one command so the daemon starts all of it or none.
            foreach (var group in launch.GroupBy(t => t.GroupId ?? t.TaskId))
            {
                Enqueue(new AgentCommand(AgentCommandTypes.Launch, frameworkId, Tasks: group.ToArray()));
            }
        }

        await PublishAndForwardAsync(dropped, MasterStreams.SourceMaster);
    }

    /// <inheritdoc />
    public Task<KillAnswer> Kill(string frameworkId, string taskId, TimeSpan? gracePeriod)
    {
        if (_tasks.TryGetValue(taskId, out var entry) && entry.Task.FrameworkId == frameworkId)
        {
            if (!entry.Task.State.IsTerminal())
            {
                entry.KillRequested = true;
                if (_link is not null)
                {
                    Enqueue(new AgentCommand(AgentCommandTypes.Kill, frameworkId, TaskId: taskId, GracePeriodSeconds: gracePeriod?.TotalSeconds));
                }
            }

            return Task.FromResult(KillAnswer.Sent);
        }

        // Not in this activation's table: the daemon has not re-registered with it yet (its tasks come then), or it did
        // and does not run the task. An unreachable agent's tasks cannot be told apart until it is back.
        return Task.FromResult(_reregistered ? KillAnswer.Unknown
            : state.State.Status == AgentStatus.Unreachable ? KillAnswer.Unreachable
            : Standing ? KillAnswer.Sent
            : KillAnswer.Unknown);
    }

    /// <inheritdoc />
    public Task Acknowledge(string frameworkId, string taskId, Guid uuid)
    {
        // Interleaves with other calls, so it never awaits. (Forgetting a terminal task cannot complete a drain.)
        if (uuid == Guid.Empty)
        {
            return Task.CompletedTask;
        }

        _pendingAcks.Add(new TaskAck(taskId, frameworkId, uuid));
        Signal();
        if (_tasks.TryGetValue(taskId, out var entry) && entry.LastPublished == uuid && entry.Task.State.IsTerminal())
        {
            // The terminal update is acknowledged: the task is history.
            _tasks.Remove(taskId);
            Completed(entry);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ShutdownFramework(string frameworkId)
    {
        var any = false;
        foreach (var entry in _tasks.Values.Where(e => e.Task.FrameworkId == frameworkId && !e.Task.State.IsTerminal()))
        {
            entry.KillRequested = true;
            any = true;
        }

        if (any && _link is not null)
        {
            Enqueue(new AgentCommand(AgentCommandTypes.ShutdownFramework, frameworkId));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AgentTask>?> Tasks(string frameworkId, IReadOnlyList<string> taskIds)
    {
        if (!_reregistered && Standing)
        {
            // Reactivated after a failover and the daemon has not re-registered yet: its task table is not known (as
            // Mesos, the master does not answer for tasks of a transitioning agent rather than call them unknown).
            return Task.FromResult<IReadOnlyList<AgentTask>?>(null);
        }

        IEnumerable<TaskEntry> entries = taskIds.Count == 0
            ? _tasks.Values.Where(e => e.Task.FrameworkId == frameworkId)
            : taskIds.Select(id => _tasks.GetValueOrDefault(id)).OfType<TaskEntry>().Where(e => e.Task.FrameworkId == frameworkId);
        return Task.FromResult<IReadOnlyList<AgentTask>?>(entries.Select(e => e.Task).ToArray());
    }
}

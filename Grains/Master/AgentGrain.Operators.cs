using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Grains.Master;

/// <summary>The agent seen from its operators: drain, reactivate, remove, logs and its snapshot.</summary>
internal sealed partial class AgentGrain
{
    /// <inheritdoc />
    public async Task Drain(TimeSpan? gracePeriod, bool markGone = false)
    {
        if (state.State.Status is AgentStatus.Gone or AgentStatus.Unknown)
        {
            throw new MasterValidationException($"agent '{AgentId}' is {state.State.Status.ToString().ToLowerInvariant()}: it cannot be drained");
        }

        state.State.Status = AgentStatus.Draining;
        state.State.DrainGrace = gracePeriod;
        state.State.DrainMarkGone = markGone;
        await state.WriteStateAsync();
        await Allocator.SetAgentActive(AgentId, false);
        foreach (var entry in _tasks.Values.Where(e => !e.Task.State.IsTerminal()).ToArray())
        {
            await Kill(entry.Task.FrameworkId, entry.Task.TaskId, gracePeriod);
        }

        await CompleteDrainAsync();
    }

    /// <inheritdoc />
    public async Task Deactivate()
    {
        switch (state.State.Status)
        {
            case AgentStatus.Deactivated or AgentStatus.Draining or AgentStatus.Maintenance:
                return; // not offered already
            case AgentStatus.Active:
                state.State.Status = AgentStatus.Deactivated;
                await state.WriteStateAsync();
                await Allocator.SetAgentActive(AgentId, false);
                return;
            default:
                throw new MasterValidationException($"agent '{AgentId}' is {state.State.Status.ToString().ToLowerInvariant()}: it cannot be deactivated");
        }
    }

    /// <inheritdoc />
    public async Task Reactivate()
    {
        if (!state.State.Status.IsDeactivated())
        {
            throw new MasterValidationException($"agent '{AgentId}' is {state.State.Status.ToString().ToLowerInvariant()}, not deactivated, draining or in maintenance");
        }

        state.State.Status = AgentStatus.Active;
        state.State.DrainGrace = null;
        state.State.DrainMarkGone = false;
        await state.WriteStateAsync();
        if (_link is not null)
        {
            await Allocator.SetAgentActive(AgentId, true);
        }
    }

    /// <inheritdoc />
    public async Task Remove()
    {
        if (state.State.Status == AgentStatus.Gone)
        {
            return;
        }

        state.State.Status = AgentStatus.Gone;
        await state.WriteStateAsync();
        _goneAtMs = liveness.NowMs();
        CheckOwnSilenceWhenNeeded();
        await GrainFactory.GetGrain<IRegistryGrain>(MasterKeys.AgentRegistry(AgentId)).MarkRemoved(AgentId);
        await Allocator.RemoveAgent(AgentId);
        var gone = new List<TaskStatusUpdate>();
        foreach (var entry in _tasks.Values.Where(e => !e.Task.State.IsTerminal()))
        {
            if (_link is not null)
            {
                Enqueue(new AgentCommand(AgentCommandTypes.Kill, entry.Task.FrameworkId, TaskId: entry.Task.TaskId));
            }

            gone.Add(MasterUpdate(entry.Task, TaskState.TASK_GONE_BY_OPERATOR, TaskReasons.AgentRemovedByOperator, "the agent was removed"));
            entry.Record(new TaskStatusEntry(TaskState.TASK_GONE_BY_OPERATOR, Timestamp(), entry.Task.Healthy));
            entry.Task = entry.Task with { State = TaskState.TASK_GONE_BY_OPERATOR };
            entry.Counted = false;
        }

        await PublishAndForwardAsync(gone, MasterStreams.SourceMaster);
        foreach (var framework in _tasks.Values.Select(e => e.Task.FrameworkId).Distinct())
        {
            await GrainFactory.GetGrain<IFrameworkGrain>(framework).AgentLost(AgentId);
        }
    }

    /// <inheritdoc />
    public Task Resync() => _link is not null && state.State.Info is not null ? ReportToAllocatorAsync() : Task.CompletedTask;

    /// <inheritdoc />
    public async Task<LogChunk> ReadLog(string taskId, string file, long offset, int length)
    {
        if (file is not ("stdout" or "stderr"))
        {
            throw new MasterValidationException($"file must be stdout or stderr (is '{file}')");
        }

        if (_link is null)
        {
            throw new MasterValidationException($"agent '{AgentId}' is not connected: the task's sandbox cannot be read now");
        }

        var request = new LogRequest(Guid.NewGuid(), taskId, file, Math.Max(0, offset), Math.Clamp(length, 0, 1 << 20));
        var waiter = new TaskCompletionSource<LogChunk>(TaskCreationOptions.RunContinuationsAsynchronously);
        _logRequests[request.RequestId] = waiter;
        Enqueue(new AgentCommand(AgentCommandTypes.ReadLog, Log: request));
        var done = await Task.WhenAny(waiter.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        _logRequests.Remove(request.RequestId);
        return done == waiter.Task ? await waiter.Task : throw new TimeoutException($"agent '{AgentId}' did not answer the log request within 10 s");
    }

    /// <inheritdoc />
    public Task<AgentSnapshot> GetSnapshot() => Task.FromResult(new AgentSnapshot(
        state.State.Info is null ? new AgentInfo(AgentId, "", Resources.Empty) : EffectiveInfo(),
        state.State.Status,
        _link is not null,
        state.State.RegisteredTime,
        state.State.UnreachableTime,
        _tasks.Values.Select(e => e.Task).ToArray(),
        _completed?.Select(c => c.Task).ToArray() ?? [],
        Statuses()));

    /// <summary>The statuses of every live and kept task, by task id.</summary>
    private Dictionary<string, IReadOnlyList<TaskStatusEntry>> Statuses()
    {
        var statuses = new Dictionary<string, IReadOnlyList<TaskStatusEntry>>(StringComparer.Ordinal);
        foreach (var (task, kept) in _completed ?? [])
        {
            statuses[task.TaskId] = kept;
        }

        foreach (var entry in _tasks.Values)
        {
            if (entry.Statuses is { } list)
            {
                statuses[entry.Task.TaskId] = list.ToArray();
            }
        }

        return statuses;
    }

    private async Task CompleteDrainAsync()
    {
        if (state.State.Status == AgentStatus.Draining && _tasks.Values.All(e => e.Task.State.IsTerminal()))
        {
            if (state.State.DrainMarkGone)
            {
                await Remove(); // drained: gone, as asked
                return;
            }

            state.State.Status = AgentStatus.Maintenance;
            await state.WriteStateAsync();
        }
    }
}

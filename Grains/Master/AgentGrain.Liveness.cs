using Orleans;
using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Master;

/// <summary>Whether the agent is heard: the silo's silence sweep, the grain's own check when its link is elsewhere, and becoming unreachable.</summary>
internal sealed partial class AgentGrain
{
    /// <inheritdoc />
    public Task LinkSilent(Guid linkId) =>
        _link == linkId && Standing && !liveness.IsInProcess(AgentId)
            ? BecomeUnreachableAsync($"silent for {_options.AgentUnreachableTimeout}")
            : Task.CompletedTask;

    private async Task CheckSilenceAsync()
    {
        var now = liveness.NowMs();

        // A check that ran late means the silo stalled, and what looks like the agent's silence may be the silo's.
        var stall = AgentLiveness.StallMs(_lastCheckMs, now, SilenceCheckInterval);
        _lastHeardMs += stall;
        _closedAtMs += stall;

        _lastCheckMs = now;
        if (state.State.Status is AgentStatus.Unknown or AgentStatus.Unreachable or AgentStatus.Gone || liveness.IsInProcess(AgentId))
        {
            // An agent in this very process lives as long as the silo that judges it.
            return;
        }

        var silent = now - _lastHeardMs >= (long)_options.AgentUnreachableTimeout.TotalMilliseconds;
        var gone = _link is null && _closedAtMs is { } closed && now - closed >= (long)Min(_options.AgentDisconnectedTimeout, _options.AgentUnreachableTimeout).TotalMilliseconds;
        if (!silent && !gone)
        {
            return;
        }

        await BecomeUnreachableAsync(gone ? "disconnected and did not come back" : $"silent for {_options.AgentUnreachableTimeout}");
    }

    /// <summary>
    /// The agent judges its own silence only where its silo cannot: with no link, or with a link another silo holds
    /// (whose death would not tell this one). A link on this silo is judged by the silo's sweep of all its links
    /// (<see cref="AgentLiveness.Sweep"/>), which saves 10,000 agents a timer each.
    /// </summary>
    private void CheckOwnSilenceWhenNeeded()
    {
        var needed = Standing && (_link is not { } link || liveness.LastHeard(link) is null);
        if (needed && _ownSilenceCheck is null)
        {
            _lastCheckMs = 0;
            _ownSilenceCheck = this.RegisterGrainTimer(_ => CheckSilenceAsync(), SilenceCheckInterval, SilenceCheckInterval);
        }
        else if (!needed && _ownSilenceCheck is not null)
        {
            _ownSilenceCheck.Dispose();
            _ownSilenceCheck = null;
        }
    }

    private async Task BecomeUnreachableAsync(string why)
    {
        MasterLog.AgentUnreachable(logger, AgentId, why);
        DropLink();
        state.State.Status = AgentStatus.Unreachable;
        state.State.UnreachableTime = time.GetUtcNow();
        CheckOwnSilenceWhenNeeded();
        await state.WriteStateAsync();
        await Allocator.RemoveAgent(AgentId);
        var updates = new List<TaskStatusUpdate>();
        foreach (var entry in _tasks.Values.Where(e => !e.Task.State.IsTerminal()))
        {
            updates.Add(MasterUpdate(entry.Task, TaskState.TASK_UNREACHABLE, TaskReasons.AgentDisconnected, $"agent '{AgentId}' is unreachable"));
            entry.Record(new TaskStatusEntry(TaskState.TASK_UNREACHABLE, Timestamp(), entry.Task.Healthy));
            entry.Task = entry.Task with { State = TaskState.TASK_UNREACHABLE };
            entry.Counted = false;
        }

        await PublishAndForwardAsync(updates, MasterStreams.SourceMaster);
        foreach (var framework in _tasks.Values.Select(e => e.Task.FrameworkId).Distinct())
        {
            await GrainFactory.GetGrain<IFrameworkGrain>(framework).AgentLost(AgentId);
        }
    }
}

using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Master;

/// <summary>What the framework hears: offers and rescinds from the allocator, task updates from its agents (indexed, published durably, then queued on its stream), and the outbox its stream reads.</summary>
internal sealed partial class FrameworkGrain
{
    /// <inheritdoc />
    public async Task ReceiveOffers(IReadOnlyList<OfferInfo> offers)
    {
        if (_stream is null)
        {
            // Nobody to offer to (away or removed): give them back at once, unfiltered.
            await Allocator.Decline(FrameworkId, offers.Select(o => o.OfferId).ToArray(), TimeSpan.Zero);
            return;
        }

        foreach (var offer in offers)
        {
            _offers[offer.OfferId] = offer;
        }

        Enqueue(new FrameworkEvent(FrameworkEventTypes.Offers, Offers: offers));
    }

    /// <inheritdoc />
    public Task Rescind(IReadOnlyList<string> offerIds)
    {
        foreach (var id in offerIds)
        {
            if (_offers.Remove(id))
            {
                Enqueue(new FrameworkEvent(FrameworkEventTypes.Rescind, OfferId: id));
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReceiveUpdates(IReadOnlyList<TaskStatusEvent> updates)
    {
        foreach (var update in updates)
        {
            Index(update);

            // A resend of an update still waiting in the queue (the daemon did not hear the ack in time) is not queued twice.
            if (_stream is not null && !_queuedUpdates.Contains(update.Status.Uuid))
            {
                Enqueue(new FrameworkEvent(FrameworkEventTypes.Update, Status: Translate(update)));
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AgentLost(string agentId)
    {
        if (_stream is not null)
        {
            Enqueue(new FrameworkEvent(FrameworkEventTypes.Failure, AgentId: agentId));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Resync()
    {
        if (state.State.Info is not { } info || state.State.Removed)
        {
            return Task.CompletedTask;
        }

        // The allocator that made the outstanding offers is gone: they are void.
        foreach (var offerId in _offers.Keys.ToArray())
        {
            _offers.Remove(offerId);
            Enqueue(new FrameworkEvent(FrameworkEventTypes.Rescind, OfferId: offerId));
        }

        return Allocator.AddFramework(FrameworkId, info.EffectiveRoles, _stream is not null, _suppressed, info.GpuAware);
    }

    private void Enqueue(FrameworkEvent @event)
    {
        if (@event.Status is { Status.Uuid: var uuid } && uuid != Guid.Empty)
        {
            _queuedUpdates.Add(uuid);
        }

        _events.Add(@event);
    }

    /// <summary>Forgets the events the stream has taken (its cursor is past them).</summary>
    private void Trim(long after)
    {
        _events.Acknowledge(after, taken =>
        {
            if (taken.Status is { Status.Uuid: var uuid })
            {
                _queuedUpdates.Remove(uuid);
            }
        });
    }

    private void CloseStream()
    {
        _stream = null;
        _queuedUpdates.Clear();
        _events.Clear();
    }

    /// <summary>Keeps the index and the unacknowledged updates current.</summary>
    private void Index(TaskStatusEvent update)
    {
        var status = update.Status;
        if (status.Uuid != Guid.Empty)
        {
            _unacked[status.TaskId] = update;
        }

        if (status.State.IsTerminal() && status.Uuid == Guid.Empty)
        {
            _tasks.Remove(status.TaskId);
        }
        else if (update.AgentId.Length > 0)
        {
            _tasks[status.TaskId] = new FrameworkTask(status.TaskId, update.AgentId, status.State);
        }
    }

    /// <summary>What a framework that is not partition-aware is told instead of the newer states.</summary>
    private TaskStatusEvent Translate(TaskStatusEvent update)
    {
        if (state.State.Info?.PartitionAware == true)
        {
            return update;
        }

        return update.Status.State is TaskState.TASK_UNREACHABLE or TaskState.TASK_GONE or TaskState.TASK_GONE_BY_OPERATOR or TaskState.TASK_DROPPED or TaskState.TASK_UNKNOWN
            ? update with { Status = update.Status with { State = TaskState.TASK_LOST } }
            : update;
    }

    /// <summary>
    /// Publishes updates the master made (DROPPED, ERROR, UNKNOWN …) on the durable stream, then queues them for the
    /// framework, after those made before. The call that made them (ACCEPT, KILL) does not wait for the stream, as
    /// Mesos answers such calls before their updates: behind a busy stream, an ACCEPT of stale offers otherwise took
    /// longer than its callers wait. A failed write is tried again (backing off) while the framework is active here.
    /// </summary>
    private void PublishAndQueue(IReadOnlyList<TaskStatusUpdate> updates, string agentId)
    {
        if (updates.Count > 0)
        {
            var events = updates.Select(u => new TaskStatusEvent(agentId, u, MasterStreams.SourceMaster)).ToArray();
            _published.Then(() => PublishThenQueueAsync(events));
        }
    }

    private async Task PublishThenQueueAsync(IReadOnlyList<TaskStatusEvent> events)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await statuses.PublishAsync(events);
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && attempt < PublishAttempts)
            {
                MasterLog.FrameworkUpdatesRetried(logger, FrameworkId, events.Count, attempt, ex.Message);
                await Task.Delay(backoff);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Given up: the framework learns the tasks' states by reconciling, as when a master fails over.
                MasterLog.FrameworkUpdatesLost(logger, ex, FrameworkId, events.Count);
                return;
            }
        }

        foreach (var @event in events)
        {
            Index(@event);
            Enqueue(new FrameworkEvent(FrameworkEventTypes.Update, Status: Translate(@event)));
        }
    }

    /// <summary>Asks every registered agent for this framework's tasks (after a failover the index starts empty).</summary>
    private async Task CompleteIndexAsync()
    {
        if (_indexComplete)
        {
            return;
        }

        var transitioning = false;
        foreach (var shard in MasterKeys.AllAgentRegistries)
        {
            foreach (var (agentId, removed) in await GrainFactory.GetGrain<IRegistryGrain>(shard).List())
            {
                if (removed)
                {
                    continue;
                }

                var tasks = await GrainFactory.GetGrain<IAgentGrain>(agentId).Tasks(FrameworkId, []);
                if (tasks is null)
                {
                    transitioning = true;
                    continue;
                }

                foreach (var task in tasks)
                {
                    _tasks.TryAdd(task.TaskId, new FrameworkTask(task.TaskId, agentId, task.State));
                }
            }
        }

        _indexComplete = !transitioning;
    }
}

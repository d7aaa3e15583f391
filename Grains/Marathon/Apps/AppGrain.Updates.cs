using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Deployment;

namespace OrleansDcos.Grains.Marathon.Apps;

/// <summary>What happens to the app's instances: launches claimed, status updates applied (backoff on failures, unhealthy kills within the rate limit), kills and resyncs asked by the API.</summary>
internal sealed partial class AppGrain
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<InstanceRecord>> ClaimLaunches(IReadOnlyList<InstanceRecord> proposed, IReadOnlyList<ResidentReservation>? reservations = null)
    {
        var target = S.Applied;
        var config = AppVersions.ConfigVersion(target);
        var current = proposed.Where(p => p.ConfigVersion == config).ToList();
        List<InstanceRecord> taken = target is null || LaunchDelayLeft(Now()) > TimeSpan.Zero ? []
            : target.IsResident() ? ClaimResident(current, reservations, target)
            : current.Take(_pending).ToList();
        foreach (var instance in taken)
        {
            S.Instances[instance.TaskId] = instance;
        }

        _pending -= taken.Count;
        _dirty |= taken.Count > 0;
        if (taken.Count < proposed.Count)
        {
            // The scheduler's queue asked for more than this app wants (it missed a change): it hears the truth now.
            Converge(force: true);
        }

        await SaveAsync();
        return taken;
    }

    /// <inheritdoc />
    public async Task StatusUpdates(IReadOnlyList<TaskStatusEvent> updates)
    {
        var unknown = new List<InstanceKill>();
        foreach (var (agentId, containerUpdate) in updates.Select(u => (u.AgentId, u.Status)))
        {
            var update = containerUpdate;
            if (!S.Instances.TryGetValue(MarathonKeys.InstanceOf(update.TaskId) ?? update.TaskId, out var instance) || (instance.Containers is null) != (MarathonKeys.InstanceOf(update.TaskId) is null))
            {
                if (!update.State.IsTerminal())
                {
                    // A task this app does not know (launched before a lost write, or by an older incarnation): it goes.
                    unknown.Add(new InstanceKill(update.TaskId, agentId, null));
                }

                continue;
            }

            if (instance.Containers is not null)
            {
                if (FoldContainerUpdate(instance, update) is not { } folded)
                {
                    _dirty = true;
                    continue;
                }

                (instance, update) = (S.Instances[instance.TaskId], folded);
            }

            Apply(instance, update);
        }

        if (unknown.Count > 0)
        {
            MarathonLog.AppUnknownTasks(logger, AppId, unknown.Count, unknown.Select(u => u.TaskId));
            _ = Scheduler.Kill(unknown);
        }

        _dirty = true;
        Converge();
        await SaveAsync();
    }

    private void Apply(InstanceRecord instance, TaskStatusUpdate update)
    {
        var now = Now();
        _events.AddRange(AppStatusEvents.Of(AppId, instance, update, Now(), S.Applied?.HealthChecks));
        if (update.State.IsTerminal())
        {
            S.Instances.Remove(instance.TaskId);
            S.UnreachableTimes.Remove(instance.TaskId);
            _lastStaleReconcile.Remove(instance.TaskId);
            _killSentAt.Remove(instance.TaskId);
            _readiness.Remove(instance.TaskId);
            var failed = (update.State is TaskState.TASK_FAILED or TaskState.TASK_FINISHED or TaskState.TASK_ERROR && !instance.Killing)
                | _unhealthyKilled.Remove(instance.TaskId);
            if (failed)
            {
                S.Failures++;
                var delay = Math.Min(
                    (S.Applied?.BackoffSeconds ?? 1) * Math.Pow(S.Applied?.BackoffFactor ?? 1.15, S.Failures - 1),
                    S.Applied?.MaxLaunchDelaySeconds ?? 300);
                S.LaunchDelayUntil = now + MesosDurations.FromSeconds(delay)!.Value;
                S.LastTaskFailure = new TaskFailureInfo(AppId, instance.Host, update.Message ?? update.Reason ?? string.Empty, update.State.ToString(),
                    instance.TaskId, MarathonKeys.Timestamp(update.Timestamp), instance.Version, instance.AgentId);
                MarathonLog.AppTaskFailed(logger, AppId, instance.TaskId, update.State, update.Message, delay);
            }

            return;
        }

        var next = instance with
        {
            State = update.State,
            Healthy = update.Healthy ?? instance.Healthy,
            Health = update.Healthy is { } healthy
                ? InstanceHealth.After(instance.Health, healthy, MarathonKeys.Timestamp(update.Timestamp), update.Message)
                : instance.Health,
            StartedAt = instance.StartedAt ?? (update.State == TaskState.TASK_RUNNING ? MarathonKeys.Timestamp(time.GetUtcNow()) : null),
        };
        S.Instances[instance.TaskId] = next;
        if (update.State == TaskState.TASK_UNREACHABLE)
        {
            S.UnreachableTimes.TryAdd(instance.TaskId, now);
        }
        else
        {
            S.UnreachableTimes.Remove(instance.TaskId);
        }

        if (next.State == TaskState.TASK_RUNNING && next.Healthy == true && S.Failures > 0)
        {
            // A healthy run ends the backoff.
            S.Failures = 0;
            S.LaunchDelayUntil = null;
        }

        if (update.Reason == TaskReasons.Unhealthy && update.State == TaskState.TASK_RUNNING && !next.Killing)
        {
            // The health check gave up: killed, within the rate limit (the watch retries the rest).
            TryKillUnhealthy(next);
        }
    }

    private bool TryKillUnhealthy(InstanceRecord instance)
    {
        var now = Now();
        var allowed = KillRateLimit.Allowed(S.Applied?.Instances ?? 1, _options.UnhealthyKillFraction);
        if (!_healthKills.TryTake(now, allowed))
        {
            if (!_healthKillPending.Add(instance.TaskId))
            {
                return false;
            }

            MarathonLog.AppUnhealthyKillDeferred(logger, AppId, instance.TaskId, _healthKills.Recent(now), _options.UnhealthyKillWindow, allowed);
            EnsureWatch();
            return false;
        }

        _healthKillPending.Remove(instance.TaskId);
        _unhealthyKilled.Add(instance.TaskId);
        Kill([instance], "its health check failed too often");
        _events.Add(AppStatusEvents.UnhealthyKill(AppId, instance, now));
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InstanceRecord>> KillInstances(IReadOnlyList<string> taskIds, bool scale)
    {
        var victims = taskIds.Select(id => S.Instances.GetValueOrDefault(id)).OfType<InstanceRecord>().Where(i => !i.Killing).ToList();
        if (victims.Count == 0)
        {
            return [];
        }

        if (scale && S.Applied is { } applied)
        {
            // What runs drops at once, so the victims are not replaced; the root records the lower count as a
            // deployment (the new version arrives with it).
            S.Applied = applied with { Instances = Math.Max(0, applied.Instances - victims.Count) };
        }

        Kill(victims, "killed by the operator");
        Converge();
        await SaveAsync();
        return victims;
    }

    /// <inheritdoc />
    public Task ResetDelay()
    {
        S.Failures = 0;
        S.LaunchDelayUntil = null;
        _dirty = true;
        Converge();
        return SaveAsync();
    }

    /// <inheritdoc />
    public Task Resync()
    {
        _sequence = 0;
        Converge(force: true);
        var killing = S.Instances.Values.Where(i => i.Killing).ToList();
        if (killing.Count > 0)
        {
            SendKills(killing); // the scheduler that had them may have died with them
        }

        // A new scheduler may have died between recording a launch and sending it: ask the master about every
        // instance (one it does not know comes back UNKNOWN, is dropped and replaced).
        if (S.Instances.Count > 0)
        {
            _ = Scheduler.Reconcile(S.Instances.Values.Select(InstancePlacement.Of).ToList());
        }

        return SaveAsync();
    }
}

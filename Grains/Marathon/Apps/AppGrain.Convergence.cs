using System.Text.Json.Nodes;
using Orleans;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Deployment;

namespace OrleansDcos.Grains.Marathon.Apps;

/// <summary>The convergence loop: what the rolling update decides is launched (through the scheduler's queue) and killed (sent again while the task lives), unreachable instances replaced and expunged, stale launches reconciled, the deployment action finished.</summary>
internal sealed partial class AppGrain
{
    private void Converge(bool force = false)
    {
        var target = S.Applied;
        var config = AppVersions.ConfigVersion(target);
        var now = Now();
        var live = new List<RollingInstance>();
        var expunge = new List<InstanceRecord>();
        if (target is null)
        {
            // The app is stopped: every instance is killed (and those on unreachable agents forgotten, just below).
            _pending = 0;
            Kill(S.Instances.Values.Where(i => !i.Killing).ToList(), "the app is stopped");
        }

        foreach (var instance in S.Instances.Values)
        {
            if (instance.Killing && instance.State == TaskState.TASK_UNREACHABLE)
            {
                // Killed, and its agent cannot be reached: forgotten now, as Marathon expunges a killed unreachable
                // instance (if its agent comes back, the task is unknown there and killed).
                expunge.Add(instance);
                continue;
            }

            if (S.UnreachableTimes.TryGetValue(instance.TaskId, out var since) && instance.State == TaskState.TASK_UNREACHABLE)
            {
                var strategy = target?.UnreachableStrategy;
                if (strategy is not null && (now - since).TotalSeconds >= strategy.ExpungeAfterSeconds)
                {
                    expunge.Add(instance);
                    continue;
                }

                if (strategy is not null && (now - since).TotalSeconds >= strategy.InactiveAfterSeconds)
                {
                    continue; // inactive: a replacement may launch; it stays recorded until expunged
                }
            }

            var current = instance.ConfigVersion == config;
            live.Add(new RollingInstance(
                instance.TaskId,
                current,
                IsHealthy(instance, target) && (!current || IsReady(instance, target)),
                Started(instance),
                instance.Killing));
        }

        foreach (var gone in expunge)
        {
            // Forgotten: if its agent comes back, the task is unknown and killed.
            S.Instances.Remove(gone.TaskId);
            S.UnreachableTimes.Remove(gone.TaskId);
        }

        if (target is null)
        {
            if (S.Instances.Count == 0)
            {
                Finish();
            }
        }
        else
        {
            var decision = RollingUpdate.Decide(target.Instances, target.UpgradeStrategy.MinimumHealthCapacity, target.UpgradeStrategy.MaximumOverCapacity,
                live, _pending, target.KillSelection == KillSelections.OldestFirst);
            MarathonLog.AppConverge(logger, AppId, live.Count, _pending, target.Instances, decision.Launch, decision.Kill.Count, decision.Done);
            Kill(decision.Kill.Select(id => S.Instances[id]).ToList(), "replaced or scaled down");
            _pending += decision.Launch;
            if (decision.Done)
            {
                Finish();
            }
        }

        _dirty |= expunge.Count > 0;
        _dirty |= S.Reservations.Count > 0 && SettleReservations(expunge);

        var detached = S.Reservations.Count > 0 ? DetachedReservations() : null;
        var entry = new LaunchQueueEntry(AppId, NextSequence(), target, _pending, S.LaunchDelayUntil,
            S.Instances.Values.Select(InstancePlacement.Of).ToList(), detached);
        if (force || _lastQueue is null || entry.Count != _lastQueue.Count || entry.DelayUntil != _lastQueue.DelayUntil
            || !ReferenceEquals(entry.Definition, _lastQueue.Definition) || entry.Placements.Count != _lastQueue.Placements.Count
            || !(entry.Reservations ?? []).SequenceEqual(_lastQueue.Reservations ?? []))
        {
            _lastQueue = entry;
            _ = Scheduler.SetQueue(entry);
        }

        // A launch that never reported (its scheduler died between recording and sending it, or the master lost it)
        // is reconciled: the master answers UNKNOWN for a task it does not know, and the instance is replaced.
        var stale = S.Instances.Values.Where(i => i.State == TaskState.TASK_STAGING
            && now - Started(i) > _options.TaskLaunchReconcileAfter
            && now - _lastStaleReconcile.GetValueOrDefault(i.TaskId, DateTimeOffset.UnixEpoch) > _options.TaskLaunchReconcileAfter).ToList();
        if (stale.Count > 0)
        {
            foreach (var instance in stale)
            {
                _lastStaleReconcile[instance.TaskId] = now;
            }

            MarathonLog.AppStaleLaunches(logger, AppId, stale.Count);
            _ = Scheduler.Reconcile(stale.SelectMany(i => LiveTaskIdsOf(i).Select(id => InstancePlacement.Of(i) with { TaskId = id })).ToList());
        }

        if (S.UnreachableTimes.Count > 0 || S.Instances.Values.Any(i => i.State == TaskState.TASK_STAGING || i.Killing))
        {
            EnsureWatch();
        }

        if (target is { ReadinessChecks.Count: > 0 } && S.Instances.Values.Any(i => i.ConfigVersion == config && !IsReady(i, target)))
        {
            _readinessTimer ??= this.RegisterGrainTimer(_ => CheckReadinessAsync(), TimeSpan.Zero,
                TimeSpan.FromSeconds(target.ReadinessChecks[0].IntervalSeconds));
        }
    }

    private void Finish()
    {
        if (S.DeploymentId is { } deployment)
        {
            S.DeploymentId = null;
            S.DeploymentAction = null;
            _dirty = true;
            MarathonLog.AppActionDone(logger, AppId, deployment);
            _ = GrainFactory.GetGrain<IMarathonRootGrain>(MarathonKeys.Root).ActionDone(deployment, AppId);
        }

        if (S.Definition is null && S.Applied is null && S.Instances.Count == 0 && S.Reservations.Count == 0)
        {
            // Removed and empty: nothing to keep running for.
            if (!_terminated)
            {
                _terminated = true;
                _events.Add(MarathonEvent.Of(time.GetUtcNow(), MarathonEventStream.AppTerminated, new JsonObject { ["appId"] = AppId }));
            }

            _watch?.Dispose();
            _watch = null;
            DeactivateOnIdle();
        }
    }

    private void Kill(IReadOnlyList<InstanceRecord> victims, string why)
    {
        if (victims.Count == 0)
        {
            return;
        }

        foreach (var victim in victims)
        {
            S.Instances[victim.TaskId] = victim with { Killing = true };
        }

        MarathonLog.AppKilling(logger, AppId, victims.Count, why);
        _dirty = true;
        SendKills(victims);
        EnsureWatch();
    }

    /// <summary>Sends kills (one-way); each is sent again while its task lives on (a kill can be lost with a silo).</summary>
    private void SendKills(IReadOnlyList<InstanceRecord> victims)
    {
        var now = Now();
        foreach (var victim in victims)
        {
            _killSentAt[victim.TaskId] = now;
        }

        var grace = MesosDurations.FromSeconds(S.Applied?.TaskKillGracePeriodSeconds ?? S.Definition?.TaskKillGracePeriodSeconds);
        _ = Scheduler.Kill(victims.SelectMany(v => LiveTaskIdsOf(v).Select(id => new InstanceKill(id, v.AgentId, grace))).ToList());
    }

    /// <summary>A timer while something waits on time (unreachable instances, rate-limited kills of unhealthy ones).</summary>
    private void EnsureWatch() =>
        _watch ??= this.RegisterGrainTimer(_ =>
        {
            Tick();
            return SaveAsync();
        }, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

    private void Tick()
    {
        foreach (var id in _healthKillPending.ToList())
        {
            if (!S.Instances.TryGetValue(id, out var instance) || instance.Killing || instance.Healthy != false)
            {
                _healthKillPending.Remove(id);
            }
            else if (!TryKillUnhealthy(instance))
            {
                break;
            }
        }

        var now = Now();
        var unanswered = S.Instances.Values.Where(i => i.Killing && now - _killSentAt.GetValueOrDefault(i.TaskId, DateTimeOffset.UnixEpoch) > _options.KillRetryAfter).ToList();
        if (unanswered.Count > 0)
        {
            MarathonLog.AppKillingAgain(logger, AppId, unanswered.Count);
            SendKills(unanswered);
        }

        Converge();
        if (S.UnreachableTimes.Count == 0 && _healthKillPending.Count == 0
            && !S.Instances.Values.Any(i => i.State == TaskState.TASK_STAGING || i.Killing))
        {
            _watch?.Dispose();
            _watch = null;
        }
    }
}

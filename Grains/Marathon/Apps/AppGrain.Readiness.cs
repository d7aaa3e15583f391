using OrleansDcos.Mesos;

namespace OrleansDcos.Grains.Marathon.Apps;

/// <summary>Readiness checks: healthy instances of the applied version are probed until ready; a deployment counts only ready ones.</summary>
internal sealed partial class AppGrain
{
    /// <inheritdoc />
    public Task<IReadOnlyList<ReadinessCheckResult>> GetReadiness()
    {
        var target = S.Applied;
        var check = target?.ReadinessChecks.FirstOrDefault();
        var config = AppVersions.ConfigVersion(target);
        IReadOnlyList<ReadinessCheckResult> results = check is null ? [] : S.Instances.Values
            .Where(i => i.ConfigVersion == config && i.State == TaskState.TASK_RUNNING)
            .OrderBy(i => i.StagedAt, StringComparer.Ordinal)
            .Select(i => _readiness.TryGetValue(i.TaskId, out var r)
                ? new ReadinessCheckResult(check.Name, i.TaskId, r.Ready, r.LastResponse, r.Message)
                : new ReadinessCheckResult(check.Name, i.TaskId, false, null, IsHealthy(i, target) ? "not checked yet" : "waiting for the task to be healthy"))
            .ToList();
        return Task.FromResult(results);
    }

    /// <summary>Ready: the app has no readiness check, or its check answered with a ready status since the task started.</summary>
    private bool IsReady(InstanceRecord instance, AppDefinition? target) =>
        target is null || target.ReadinessChecks.Count == 0 || (_readiness.TryGetValue(instance.TaskId, out var result) && result.Ready);

    /// <summary>
    /// Runs the app's readiness check against its healthy, not yet ready instances of the applied version (HTTP GET
    /// from the silo to the task's host and named port, as Marathon does); a ready answer lets a deployment count the
    /// instance. Stops once every such instance is ready.
    /// </summary>
    private async Task CheckReadinessAsync()
    {
        var target = S.Applied;
        var config = AppVersions.ConfigVersion(target);
        var check = target?.ReadinessChecks.FirstOrDefault();
        var pending = check is null ? [] : S.Instances.Values
            .Where(i => i.ConfigVersion == config && IsHealthy(i, target) && !IsReady(i, target))
            .ToList();
        if (check is null || (pending.Count == 0 && !S.Instances.Values.Any(i => i.ConfigVersion == config && !IsReady(i, target))))
        {
            _readinessTimer?.Dispose();
            _readinessTimer = null;
            return;
        }

        var portIndex = target!.PortDefinitions.ToList().FindIndex(p => p.Name == check.PortName);
        var results = await Task.WhenAll(pending.Select(i => _readinessProbe.ProbeAsync(i, check, portIndex)));
        var becameReady = false;
        foreach (var (taskId, result) in pending.Select(i => i.TaskId).Zip(results))
        {
            becameReady |= result.Ready;
            _readiness[taskId] = result;
        }

        if (becameReady)
        {
            Converge();
            await SaveAsync();
        }
    }
}

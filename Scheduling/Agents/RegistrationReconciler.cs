using OrleansDcos.Mesos;

namespace OrleansDcos.Scheduling.Agents;

/// <summary>
/// Mesos' agent re-registration: the daemon says what it runs, the master compares it with what it knows. A reported
/// task is refused — killed if it still runs — when its framework is gone (removed, or never known), when the master had
/// already given up on it (it ended, or a kill was asked); every other reported task is adopted as reported, and one
/// that was UNREACHABLE is back. A task the master knows as live that the daemon does not report never arrived or
/// was lost.
/// </summary>
public static class RegistrationReconciler
{
    /// <summary>The verdict on <paramref name="reported"/> against <paramref name="known"/>; <paramref name="frameworks"/> maps framework ids to whether they were removed.</summary>
    public static RegistrationVerdict Reconcile(
        IReadOnlyList<TaskView> reported,
        IReadOnlyDictionary<string, KnownTask> known,
        IReadOnlyDictionary<string, bool> frameworks)
    {
        var adopt = new List<string>();
        var kill = new List<string>();
        var returned = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in reported)
        {
            seen.Add(task.TaskId);
            var was = known.GetValueOrDefault(task.TaskId);
            var frameworkGone = !frameworks.TryGetValue(task.FrameworkId, out var removed) || removed;
            if (frameworkGone || was is { State: var state } && state.IsTerminal() || was is { KillRequested: true })
            {
                if (!task.State.IsTerminal())
                {
                    kill.Add(task.TaskId);
                }

                continue;
            }

            adopt.Add(task.TaskId);
            if (was?.State == TaskState.TASK_UNREACHABLE && !task.State.IsTerminal())
            {
                returned.Add(task.TaskId);
            }
        }

        var lost = known.Where(k => !seen.Contains(k.Key) && !k.Value.State.IsTerminal()).Select(k => k.Key).ToArray();
        return new RegistrationVerdict(adopt, kill, returned, lost);
    }
}

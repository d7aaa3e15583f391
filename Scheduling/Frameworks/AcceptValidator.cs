using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Resources;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Scheduling.Frameworks;

/// <summary>
/// Mesos' validation of the tasks of an ACCEPT, task by task in the call's order: a valid id (Mesos' rules), unique
/// among the call's tasks and the framework's live ones, a command or a container, well-formed resources using some cpus
/// or mem, and — when the offers are valid — room in what the offers have left after the tasks before it. A refused
/// task is TASK_ERROR; a task group launches whole or not at all (every task of a group with a refused one is refused).
/// </summary>
public static class AcceptValidator
{
    /// <summary>
    /// The verdict on <paramref name="operations"/>; <paramref name="offered"/> is what the accepted offers hold (null
    /// when they are no longer valid: the tasks are then judged on themselves, and dropped by the caller);
    /// <paramref name="isLive"/> says whether the framework already has a live task of an id.
    /// </summary>
    public static AcceptVerdict Validate(IReadOnlyList<LaunchOperation> operations, Res? offered, Func<string, bool> isLive)
    {
        var launch = new List<(int, int)>();
        var refused = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var available = offered ?? Res.Empty;
        var used = Res.Empty;
        for (var o = 0; o < operations.Count; o++)
        {
            var operation = operations[o];
            var group = new List<(int Task, Res Need)>();
            string? groupError = null;
            for (var t = 0; t < operation.Tasks.Count; t++)
            {
                var task = operation.Tasks[t];
                var error = Problem(task, seen, isLive, out var need);
                if (error is null && offered is not null && !available.Contains(need))
                {
                    error = $"task '{task.TaskId}' needs {need}; the offers have {available} left";
                }

                if (error is not null)
                {
                    groupError ??= error;
                    refused.Add((task.TaskId, error));
                    continue;
                }

                if (offered is not null)
                {
                    available = available.Minus(need);
                }

                group.Add((t, need));
            }

            if (operation.IsGroup && groupError is not null)
            {
                refused.AddRange(group.Select(g => (operation.Tasks[g.Task].TaskId, $"another task of its group is invalid: {groupError}")));
                if (offered is not null)
                {
                    available = group.Aggregate(available, (sum, g) => sum.Plus(g.Need));
                }

                continue;
            }

            foreach (var (t, need) in group)
            {
                launch.Add((o, t));
                used = used.Plus(need);
            }
        }

        return new AcceptVerdict(launch, refused, used);
    }

    private static string? Problem(LaunchRequest task, HashSet<string> seen, Func<string, bool> isLive, out Res need)
    {
        need = Res.Empty;
        if (MesosIds.Problem(task.TaskId, "task_id") is { } badId)
        {
            return badId;
        }

        if (!seen.Add(task.TaskId) || isLive(task.TaskId))
        {
            return $"task '{task.TaskId}' is already known: task ids must be unique within the framework";
        }

        if (!task.Runnable)
        {
            return $"task '{task.TaskId}' needs a command or a container";
        }

        need = task.Resources;
        return need.ScalarTotal(Res.Cpus) > Scalar.Zero || need.ScalarTotal(Res.Mem) > Scalar.Zero
            ? null
            : $"task '{task.TaskId}' must use some cpus or mem";
    }
}

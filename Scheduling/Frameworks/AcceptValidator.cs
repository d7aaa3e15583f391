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
    public static AcceptVerdict Validate(IReadOnlyList<LaunchOperation> operations, Res? offered, Func<string, bool> isLive) =>
        Validate(operations, offered is null ? null : [(Resource.AnyRole, offered)], isLive);

    /// <summary>
    /// The verdict on <paramref name="operations"/> over offers made for several roles (<paramref name="offered"/>, in
    /// the call's order of offers): each task is allocated to one role — the role of the reservations it uses, else the
    /// first whose offers have room for it — and uses only what the offers of that role hold.
    /// </summary>
    public static AcceptVerdict Validate(IReadOnlyList<LaunchOperation> operations, IReadOnlyList<(string Role, Res Offered)>? offered, Func<string, bool> isLive)
    {
        var launch = new List<(int, int)>();
        var roles = new List<string>();
        var refused = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var available = new List<(string Role, Res Left)>();
        foreach (var (role, resources) in offered ?? [])
        {
            var index = available.FindIndex(a => a.Role == role);
            if (index < 0)
            {
                available.Add((role, resources));
            }
            else
            {
                available[index] = (role, available[index].Left.Plus(resources));
            }
        }

        var used = new Dictionary<string, Res>(StringComparer.Ordinal);
        for (var o = 0; o < operations.Count; o++)
        {
            var operation = operations[o];
            var group = new List<(int Task, Res Need, int Role)>();
            string? groupError = null;
            for (var t = 0; t < operation.Tasks.Count; t++)
            {
                var task = operation.Tasks[t];
                var error = Problem(task, seen, isLive, out var need);
                var at = -1;
                if (error is null && offered is not null)
                {
                    (at, error) = Allocate(task.TaskId, need, available);
                }

                if (error is not null)
                {
                    groupError ??= error;
                    refused.Add((task.TaskId, error));
                    continue;
                }

                if (at >= 0)
                {
                    available[at] = (available[at].Role, available[at].Left.Minus(need));
                }

                group.Add((t, need, at));
            }

            if (operation.IsGroup && groupError is not null)
            {
                refused.AddRange(group.Select(g => (operation.Tasks[g.Task].TaskId, $"another task of its group is invalid: {groupError}")));
                foreach (var (_, need, at) in group.Where(g => g.Role >= 0))
                {
                    available[at] = (available[at].Role, available[at].Left.Plus(need));
                }

                continue;
            }

            foreach (var (t, need, at) in group)
            {
                var role = at >= 0 ? available[at].Role : Resource.AnyRole;
                launch.Add((o, t));
                roles.Add(role);
                used[role] = used.GetValueOrDefault(role, Res.Empty).Plus(need);
            }
        }

        return new AcceptVerdict(launch, refused, used.Values.Aggregate(Res.Empty, (sum, r) => sum.Plus(r))) { Roles = roles, UsedByRole = used };
    }

    /// <summary>The role whose offers hold <paramref name="need"/> (that of its reservations, else the first with room), or why none does.</summary>
    private static (int Index, string? Error) Allocate(string taskId, Res need, List<(string Role, Res Left)> available)
    {
        var reserved = need.Roles.Where(r => r != Resource.AnyRole).ToArray();
        if (reserved.Length > 1)
        {
            return (-1, $"task '{taskId}' uses resources reserved for {reserved.Length} roles ({string.Join(", ", reserved)}); a task is allocated to one role");
        }

        for (var i = 0; i < available.Count; i++)
        {
            if ((reserved.Length == 0 || available[i].Role == reserved[0]) && available[i].Left.Contains(need))
            {
                return (i, null);
            }
        }

        var left = available.Aggregate(Res.Empty, (sum, a) => sum.Plus(a.Left));
        return (-1, reserved.Length == 1 && available.All(a => a.Role != reserved[0])
            ? $"task '{taskId}' uses resources reserved for role '{reserved[0]}', but no offer is for that role"
            : $"task '{taskId}' needs {need}; the offers have {left} left");
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

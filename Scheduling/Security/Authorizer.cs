namespace OrleansDcos.Scheduling.Security;

/// <summary>
/// Whether a principal's grants allow an action on a resource, and if not, the permission that is missing (what a 403
/// names); listings keep what may be read.
/// </summary>
public static class Authorizer
{
    /// <summary>True when some grant covers <paramref name="resource"/> with all of <paramref name="action"/>.</summary>
    public static bool Allows(IEnumerable<Permission> grants, string resource, PermissionActions action) =>
        (grants.Where(g => g.Covers(resource)).Aggregate(PermissionActions.None, (all, g) => all | g.Actions) & action) == action;

    /// <summary>The permission to ask for when <see cref="Allows"/> says no (<c>marathon:app:/team-b/web create</c>), or null when allowed.</summary>
    public static string? Missing(IEnumerable<Permission> grants, string resource, PermissionActions action) =>
        Allows(grants, resource, action) ? null : $"{resource} {ActionText(action)}";

    /// <summary>The items of <paramref name="items"/> whose resource may be read.</summary>
    public static IEnumerable<T> Readable<T>(IEnumerable<Permission> grants, IEnumerable<T> items, Func<T, string> resourceOf)
    {
        var list = grants as IReadOnlyCollection<Permission> ?? grants.ToList();
        return items.Where(i => Allows(list, resourceOf(i), PermissionActions.Read));
    }

    /// <summary>The lowercase names of <paramref name="action"/> (<c>read,update</c>; <c>full</c> for all).</summary>
    public static string ActionText(PermissionActions action) => action == PermissionActions.Full ? "full"
        : string.Join(',', Enum.GetValues<PermissionActions>().Where(a => a is not (PermissionActions.None or PermissionActions.Full) && action.HasFlag(a)).Select(a => a.ToString().ToLowerInvariant()));

    /// <summary>Reads <c>read</c>, <c>create</c>, <c>update</c>, <c>delete</c>, <c>full</c> (comma-separated), or null when a word is none of them.</summary>
    public static PermissionActions? ParseActions(string text)
    {
        var actions = PermissionActions.None;
        foreach (var word in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<PermissionActions>(word, ignoreCase: true, out var one) || one == PermissionActions.None
                || !Enum.IsDefined(one) || word.Any(char.IsDigit))
            {
                return null;
            }

            actions |= one;
        }

        return actions == PermissionActions.None ? null : actions;
    }
}

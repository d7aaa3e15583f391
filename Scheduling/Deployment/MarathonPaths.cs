namespace OrleansDcos.Scheduling.Deployment;

/// <summary>Marathon's path ids (<c>/group/sub/app</c>): which groups an id is in. Ids are canonical (absolute, no trailing slash).</summary>
public static class MarathonPaths
{
    /// <summary>The groups an app (or group) id is in, innermost first, without the root: <c>/a/b/c</c> → <c>/a/b</c>, <c>/a</c>.</summary>
    public static IEnumerable<string> GroupsOf(string id)
    {
        for (var slash = id.LastIndexOf('/'); slash > 0; slash = id.LastIndexOf('/', slash - 1))
        {
            yield return id[..slash];
        }
    }

    /// <summary>The group an id is directly in (<c>/</c> for a top-level one).</summary>
    public static string ParentOf(string id) => id.LastIndexOf('/') is var slash and > 0 ? id[..slash] : "/";

    /// <summary>True when <paramref name="id"/> is <paramref name="group"/> or lies under it (everything is within the root).</summary>
    public static bool Within(string id, string group) =>
        group == "/" || id == group || id.StartsWith(group + "/", StringComparison.Ordinal);

    /// <summary>True when <paramref name="id"/> lies under <paramref name="group"/> (not the group itself).</summary>
    public static bool Under(string id, string group) => id != group && Within(id, group);
}

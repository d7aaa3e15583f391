namespace OrleansDcos.Cli;

/// <summary>API paths built from ids a user typed (each segment escaped).</summary>
public static class ApiPaths
{
    /// <summary>A Marathon path id (<c>/prod/web</c> or <c>prod/web</c>) under <paramref name="root"/> (<c>v2/apps</c>, <c>v2/groups</c>).</summary>
    public static string Under(string root, string id) =>
        root + "/" + string.Join('/', id.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));

    /// <summary>A Marathon id in its absolute form (<c>/prod/web</c>).</summary>
    public static string Absolute(string id) => "/" + id.Trim().Trim('/');

    /// <summary>One escaped segment.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);
}

namespace OrleansDcos.Scheduling.Security;

/// <summary>
/// A grant: <see cref="Actions"/> on the resources <see cref="Resource"/> names — one resource
/// (<c>mesos:master:teardown</c>), or all under a prefix when it ends in <c>*</c> (<c>marathon:app:/team-a/*</c> covers
/// <c>/team-a</c> itself and everything under it); <c>dcos:superuser</c> covers every resource.
/// </summary>
public sealed record Permission(string Resource, PermissionActions Actions)
{
    /// <summary>The resource that covers every other.</summary>
    public const string Superuser = "dcos:superuser";

    /// <summary>The longest resource a permission may name.</summary>
    public const int MaxResourceLength = 512;

    /// <summary>Why <see cref="Resource"/> is not a usable resource, or null: not empty, no whitespace or control characters, at most <see cref="MaxResourceLength"/>.</summary>
    public string? Problem() =>
        Resource.Length is 0 or > MaxResourceLength || Resource.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? $"'{Resource}' is not a resource (1 to {MaxResourceLength} characters, no whitespace)"
            : Actions == PermissionActions.None ? $"the permission on '{Resource}' allows no action" : null;

    /// <summary>True when this grant covers <paramref name="resource"/>.</summary>
    public bool Covers(string resource)
    {
        if (Resource == Superuser || Resource == resource)
        {
            return true;
        }

        if (!Resource.EndsWith('*'))
        {
            return false;
        }

        var prefix = Resource[..^1];
        // "…/team-a/*" covers "…/team-a" too (the group itself), and nothing of "…/team-ab".
        return resource.StartsWith(prefix, StringComparison.Ordinal)
            || (prefix.EndsWith('/') && resource == prefix[..^1]);
    }
}

namespace OrleansDcos.Silo.Security;

/// <summary>The principal lacks a permission: answered 403 naming it (<c>marathon:app:/team-b/web create</c>).</summary>
public sealed class AccessDeniedException(string missing)
    : Exception($"forbidden: the permission {missing} is needed")
{
    /// <summary>The missing permission, resource and actions.</summary>
    public string Missing { get; } = missing;
}

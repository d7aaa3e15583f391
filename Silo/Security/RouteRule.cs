using OrleansDcos.Scheduling.Security;

namespace OrleansDcos.Silo.Security;

/// <summary>
/// What a route asks of a caller: nothing (<see cref="Open"/>), or a valid token and — when <see cref="Need"/> names
/// one for the request — an action on a resource. When it names none, the handler checks what the body names and
/// filters what it lists.
/// </summary>
/// <param name="Open">No token needed (login, liveness, the UI's page, the agent link — which checks its own credential).</param>
/// <param name="Need">The resource and action a request needs, or null (the handler checks).</param>
public sealed record RouteRule(bool Open, Func<HttpContext, (string Resource, PermissionActions Action)?>? Need)
{
    /// <summary>No token needed.</summary>
    public static readonly RouteRule Anyone = new(true, null);

    /// <summary>A valid token; the handler checks each resource the body names and filters what it lists.</summary>
    public static readonly RouteRule Checked = new(false, null);

    /// <summary><paramref name="action"/> on the fixed resource <paramref name="resource"/>.</summary>
    public static RouteRule On(string resource, PermissionActions action) => new(false, _ => (resource, action));

    /// <summary><paramref name="action"/> on the resource the request names.</summary>
    public static RouteRule On(Func<HttpContext, string> resource, PermissionActions action) => new(false, context => (resource(context), action));
}

using OrleansDcos.Scheduling.Security;

namespace OrleansDcos.Silo.Security;

/// <summary>
/// Who made a request and what they may do, kept on the request by <see cref="AccessGate"/>: handlers ask it about
/// the resources a body names and filter listings with it. With login off every request may do everything.
/// </summary>
public sealed class Access(string? principal, IReadOnlyList<Permission> grants)
{
    /// <summary>Everything allowed (login off).</summary>
    public static readonly Access Everything = new(null, [new Permission(Permission.Superuser, PermissionActions.Full)]);

    /// <summary>Nothing allowed (a request that gave no token on a route that needs none).</summary>
    public static readonly Access Nobody = new(null, []);

    /// <summary>The identity's name, or null with login off or none given.</summary>
    public string? Principal { get; } = principal;

    /// <summary>The identity's grants.</summary>
    public IReadOnlyList<Permission> Grants { get; } = grants;

    /// <summary>True when the grants allow <paramref name="action"/> on <paramref name="resource"/>.</summary>
    public bool Allows(string resource, PermissionActions action) => Authorizer.Allows(Grants, resource, action);

    /// <summary>Throws <see cref="AccessDeniedException"/> (403) unless the grants allow <paramref name="action"/> on <paramref name="resource"/>.</summary>
    public void Demand(string resource, PermissionActions action)
    {
        if (Authorizer.Missing(Grants, resource, action) is { } missing)
        {
            throw new AccessDeniedException(missing);
        }
    }

    /// <summary>
    /// The access of <paramref name="context"/>'s request: what the gate kept, else nothing when login is on, and
    /// everything when it is off (or in a host without the security services — a test host of one area's endpoints).
    /// </summary>
    public static Access Of(HttpContext context) =>
        context.Features.Get<Access>() ?? (context.RequestServices.GetService<SecurityState>()?.Enforced == true ? Nobody : Everything);

    /// <summary>The resource of a Marathon app, pod or group path (<c>marathon:app:/team-a/web</c>).</summary>
    public static string MarathonApp(string id) => "marathon:app:" + (id.StartsWith('/') ? id : "/" + id);

    /// <summary>The resource of a Chronos job (<c>jobs:job:nightly-report</c>).</summary>
    public static string Job(string name) => "jobs:job:" + name;

    /// <summary>True when the Marathon path <paramref name="id"/> may be read.</summary>
    public bool ReadsApp(string id) => Allows(MarathonApp(id), PermissionActions.Read);

    /// <summary>True when the job may be read.</summary>
    public bool ReadsJob(string name) => Allows(Job(name), PermissionActions.Read);
}

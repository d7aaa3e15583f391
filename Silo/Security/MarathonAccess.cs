using OrleansDcos.Grains.Marathon;
using OrleansDcos.Scheduling.Security;

namespace OrleansDcos.Silo.Security;

/// <summary>What a Marathon change needs: create, update or delete on each app or pod it touches, to run as its user, and to read the secrets it uses.</summary>
public static class MarathonAccess
{
    /// <summary>The resource of running tasks as <paramref name="user"/>.</summary>
    public static string TaskUser(string user) => "mesos:task:user:" + user;

    /// <summary>Throws unless the caller may run tasks as <paramref name="user"/> (nothing asked for none).</summary>
    public static void DemandTaskUser(Access access, string? user)
    {
        if (user is { Length: > 0 })
        {
            access.Demand(TaskUser(user), PermissionActions.Create);
        }
    }

    /// <summary>
    /// Throws unless the caller may read the secret at <paramref name="source"/>: what puts a secret in a task's
    /// environment reveals it to whoever runs the task.
    /// </summary>
    public static void DemandSecret(Access access, string source) =>
        access.Demand(Scheduling.Security.SecretPaths.Resource(Scheduling.Security.SecretPaths.Normalize(source, out _) ?? source), PermissionActions.Read);

    /// <summary>Throws <see cref="AccessDeniedException"/> unless the caller may make every change of <paramref name="changes"/>.</summary>
    /// <param name="context">The request.</param>
    /// <param name="changes">The changes.</param>
    /// <param name="creating">Every app is new (a group's POST): create is what each needs.</param>
    public static void DemandChanges(HttpContext context, IEnumerable<AppChange> changes, bool creating = false)
    {
        var access = Access.Of(context);
        foreach (var change in changes)
        {
            access.Demand(Access.MarathonApp(change.AppId), change.Definition is null ? PermissionActions.Delete
                : change.Create || creating ? PermissionActions.Create : PermissionActions.Update);
            DemandTaskUser(access, change.Definition?.User);
            foreach (var source in change.Definition?.Secrets?.Values ?? [])
            {
                DemandSecret(access, source);
            }
        }
    }

    /// <summary>Throws unless the caller may update every app of <paramref name="appIds"/> (kill tasks, cancel a deployment).</summary>
    public static void DemandUpdates(HttpContext context, IEnumerable<string> appIds)
    {
        var access = Access.Of(context);
        foreach (var id in appIds)
        {
            access.Demand(Access.MarathonApp(id), PermissionActions.Update);
        }
    }
}

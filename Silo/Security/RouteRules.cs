using OrleansDcos.Grains.Marathon.Validation;
using OrleansDcos.Scheduling.Security;
using static OrleansDcos.Scheduling.Security.PermissionActions;

namespace OrleansDcos.Silo.Security;

/// <summary>
/// The rule of every route the silo maps, by method and route pattern. A route without a rule is refused (403) even
/// to a superuser, and the security tests walk every mapped route, so a new endpoint cannot be left open by
/// forgetting it here.
/// </summary>
/// <remarks>
/// Resources: <c>marathon:app:&lt;path&gt;</c> (apps, pods and groups; a grant on <c>/team-a/*</c> covers the group and
/// all under it), <c>marathon:event-subscriptions</c>, <c>jobs:job:&lt;name&gt;</c>, <c>mesos:master:state</c>,
/// <c>mesos:master:weights</c>, <c>mesos:master:quota</c>, <c>mesos:master:teardown</c>, <c>mesos:master:reservation</c>,
/// <c>mesos:master:volume</c>, <c>mesos:framework:role:&lt;role&gt;</c>, <c>mesos:task:user:&lt;user&gt;</c>,
/// <c>mesos:task:sandbox</c>, <c>cluster:agent:drain</c>, <c>cluster:agent:enroll</c>, <c>dns:records</c>,
/// <c>lb:config</c>, <c>packages:catalog</c>, <c>packages:package</c>, <c>packages:repository</c>, <c>dcos:metrics</c>,
/// <c>dcos:dashboard</c>, <c>dcos:iam</c>, <c>dcos:audit</c>, <c>secrets:secret:&lt;path&gt;</c> (to store a secret, and
/// read to deploy an app that uses it), and <c>dcos:superuser</c> for all.
/// </remarks>
public static class RouteRules
{
    private static readonly Dictionary<(string Method, string Pattern), RouteRule> Rules = Build();

    /// <summary>Every (method, route pattern) with a rule: the routes the silo maps (the security tests hold the two together).</summary>
    public static IReadOnlyList<(string Method, string Pattern)> Routes => [.. Rules.Keys];

    /// <summary>The rule of <paramref name="method"/> on the route <paramref name="pattern"/> (its raw text), or null when there is none.</summary>
    public static RouteRule? For(string method, string pattern)
    {
        if (pattern.StartsWith(Hosting.SiloHostingExtensions.DashboardPath, StringComparison.Ordinal))
        {
            return RouteRule.On("dcos:dashboard", Read);
        }

        return Rules.GetValueOrDefault((method, pattern)) ?? Rules.GetValueOrDefault(("*", pattern));
    }

    /// <summary>The permission a v1 operator call needs (Mesos' call types), or null for a call type the API does not know (answered 400 by it).</summary>
    public static (string Resource, PermissionActions Action)? OperatorCall(string type) => type switch
    {
        "GET_HEALTH" or "GET_VERSION" => ("mesos:master:state", Read),
        "GET_FLAGS" or "GET_STATE" or "GET_AGENTS" or "GET_FRAMEWORKS" or "GET_EXECUTORS" or "GET_TASKS" or "GET_ROLES"
            or "GET_MAINTENANCE_STATUS" or "SUBSCRIBE" => ("mesos:master:state", Read),
        "GET_METRICS" => ("dcos:metrics", Read),
        "GET_WEIGHTS" => ("mesos:master:weights", Read),
        "UPDATE_WEIGHTS" => ("mesos:master:weights", Update),
        "GET_QUOTA" => ("mesos:master:quota", Read),
        "UPDATE_QUOTA" => ("mesos:master:quota", Update),
        "DRAIN_AGENT" or "DEACTIVATE_AGENT" or "REACTIVATE_AGENT" or "MARK_AGENT_GONE" => ("cluster:agent:drain", Update),
        "TEARDOWN" => ("mesos:master:teardown", Update),
        "RESERVE_RESOURCES" => ("mesos:master:reservation", Create),
        "UNRESERVE_RESOURCES" => ("mesos:master:reservation", Delete),
        "CREATE_VOLUMES" => ("mesos:master:volume", Create),
        "DESTROY_VOLUMES" => ("mesos:master:volume", Delete),
        _ => null,
    };

    /// <summary>
    /// The Marathon resource of a <c>{**path}</c> route value: the app, pod or group it names, canonical (<c>..</c>
    /// resolved as the handler resolves it), without the sub-resource (<c>/tasks/…</c>, <c>/versions/…</c>,
    /// <c>/restart</c>, <c>/delay</c>, <c>::status</c>, <c>::instances/…</c>); the root when it is not a path.
    /// </summary>
    public static string MarathonPath(string path)
    {
        var cut = path.IndexOf("::", StringComparison.Ordinal);
        if (cut >= 0)
        {
            path = path[..cut];
        }

        foreach (var marker in (ReadOnlySpan<string>)["/tasks", "/versions"])
        {
            if (IsUnder(path, marker))
            {
                path = path[..path.LastIndexOf(marker, StringComparison.Ordinal)];
            }
        }

        foreach (var suffix in (ReadOnlySpan<string>)["/restart", "/delay"])
        {
            if (path.EndsWith(suffix, StringComparison.Ordinal) && path.Length > suffix.Length)
            {
                path = path[..^suffix.Length];
            }
        }

        if (path == "versions" || path == "/versions")
        {
            path = "/";
        }

        return Access.MarathonApp(AppReader.Canonical(path, "/", out _) ?? "/");
    }

    private static string PathValue(HttpContext context) => context.Request.RouteValues["path"] as string ?? "/";

    private static string MarathonRoute(HttpContext context) => MarathonPath(PathValue(context));

    private static bool IsUnder(string path, string marker) =>
        path.LastIndexOf(marker, StringComparison.Ordinal) is var at and > 0 && (at + marker.Length == path.Length || path[at + marker.Length] == '/');

    private static Func<HttpContext, string> JobRoute => context => Access.Job(context.Request.RouteValues["name"] as string ?? "");

    private static Dictionary<(string, string), RouteRule> Build()
    {
        var rules = new Dictionary<(string, string), RouteRule>();
        void Add(string methods, string pattern, RouteRule rule)
        {
            foreach (var method in methods.Split(','))
            {
                rules.Add((method, pattern), rule);
            }
        }

        // Open: liveness, login, the UI's page (its data comes from the APIs), the agents' link (own credential).
        Add("GET", "/ping", RouteRule.Anyone);
        Add("GET", "/health", RouteRule.Anyone);
        Add("GET", "/master/health", RouteRule.Anyone);
        Add("GET", "/", RouteRule.Anyone);
        Add("POST", SecurityEndpoints.LoginPath, RouteRule.Anyone);
        Add("*", OrleansDcos.AgentLink.AgentLinkProtocol.Path, RouteRule.Anyone);

        // Identities, grants and the audit trail.
        Add("GET", "/acs/api/v1/users", RouteRule.On("dcos:iam", Read));
        Add("GET", "/acs/api/v1/users/{uid}", RouteRule.Checked); // one's own record, or dcos:iam read
        Add("PUT", "/acs/api/v1/users/{uid}", RouteRule.On("dcos:iam", Create));
        Add("PATCH", "/acs/api/v1/users/{uid}", RouteRule.Checked); // one's own password, or dcos:iam update
        Add("DELETE", "/acs/api/v1/users/{uid}", RouteRule.On("dcos:iam", Delete));
        Add("GET", "/acs/api/v1/users/{uid}/permissions", RouteRule.Checked);
        Add("POST", "/acs/api/v1/users/{uid}/revoke-tokens", RouteRule.Checked); // one's own, or dcos:iam update
        Add("PUT", "/acs/api/v1/acls/{rid}/users/{uid}/{action}", RouteRule.On("dcos:iam", Update));
        Add("DELETE", "/acs/api/v1/acls/{rid}/users/{uid}/{action}", RouteRule.On("dcos:iam", Update));
        Add("GET", "/acs/api/v1/audit", RouteRule.Checked); // everyone's with dcos:audit read, else one's own
        Add("POST", "/acs/api/v1/join-tokens", RouteRule.On("cluster:agent:enroll", Create));
        Add("GET", "/acs/api/v1/join-tokens", RouteRule.On("cluster:agent:enroll", Read));
        Add("DELETE", "/acs/api/v1/join-tokens/{id}", RouteRule.On("cluster:agent:enroll", Delete));
        Add("GET", "/acs/api/v1/agents", RouteRule.On("cluster:agent:enroll", Read));
        Add("POST", "/acs/api/v1/agents/{agentId}/revoke", RouteRule.On("cluster:agent:enroll", Delete));

        // Secrets: never read back; GET tells a secret's times, or lists the paths the caller may read.
        Add("PUT", SecretEndpoints.Route, RouteRule.On(SecretEndpoints.ResourceOf, Create));
        Add("PATCH", SecretEndpoints.Route, RouteRule.On(SecretEndpoints.ResourceOf, Update));
        Add("DELETE", SecretEndpoints.Route, RouteRule.On(SecretEndpoints.ResourceOf, Delete));
        Add("GET", SecretEndpoints.Route, RouteRule.Checked);

        // Marathon.
        Add("GET", "/v2/info", RouteRule.Checked);
        Add("GET", "/v2/leader", RouteRule.Checked);
        Add("GET", "/cluster/members", RouteRule.On("mesos:master:state", Read));
        Add("GET", "/v2/apps", RouteRule.Checked);
        Add("POST,PUT,PATCH", "/v2/apps", RouteRule.Checked);
        Add("GET", "/v2/apps/{**path}", new RouteRule(false, context => PathValue(context) is var p && (p == "*" || p.EndsWith("/*", StringComparison.Ordinal))
            ? null // a listing, filtered
            : (MarathonRoute(context), Read)));
        Add("PUT,PATCH", "/v2/apps/{**path}", RouteRule.On(MarathonRoute, Update));
        Add("POST", "/v2/apps/{**path}", RouteRule.On(MarathonRoute, Update));
        Add("DELETE", "/v2/apps/{**path}", new RouteRule(false, context => (MarathonRoute(context), IsUnder(PathValue(context), "/tasks") ? Update : Delete)));
        Add("GET", "/v2/groups", RouteRule.Checked);
        Add("GET", "/v2/groups/{**path}", RouteRule.Checked);
        Add("POST,PUT", "/v2/groups", RouteRule.Checked);
        Add("PUT", "/v2/groups/{**path}", RouteRule.On(MarathonRoute, Update));
        Add("DELETE", "/v2/groups/{**path}", RouteRule.On(MarathonRoute, Delete));
        Add("GET", "/v2/pods", RouteRule.Checked);
        Add("POST", "/v2/pods", RouteRule.Checked);
        Add("GET", "/v2/pods/{**path}", new RouteRule(false, context => PathValue(context) == "::status" ? null : (MarathonRoute(context), Read)));
        Add("PUT", "/v2/pods/{**path}", RouteRule.On(MarathonRoute, Update));
        Add("DELETE", "/v2/pods/{**path}", new RouteRule(false, context => (MarathonRoute(context), PathValue(context).Contains("::instances", StringComparison.Ordinal) ? Update : Delete)));
        Add("GET", "/v2/tasks", RouteRule.Checked);
        Add("POST", "/v2/tasks/delete", RouteRule.Checked);
        Add("GET", "/v2/deployments", RouteRule.Checked);
        Add("DELETE", "/v2/deployments/{id}", RouteRule.Checked);
        Add("GET", "/v2/queue", RouteRule.Checked);
        Add("DELETE", "/v2/queue/{**path}", RouteRule.On(MarathonRoute, Update));
        Add("GET", "/v2/events", RouteRule.Checked);
        Add("GET", "/v2/eventSubscriptions", RouteRule.On("marathon:event-subscriptions", Read));
        Add("POST", "/v2/eventSubscriptions", RouteRule.On("marathon:event-subscriptions", Create));
        Add("DELETE", "/v2/eventSubscriptions", RouteRule.On("marathon:event-subscriptions", Delete));
        Add("GET", "/metrics", RouteRule.On("dcos:metrics", Read));
        Add("GET", "/metrics/prometheus", RouteRule.On("dcos:metrics", Read));

        // Mesos master.
        foreach (var state in (ReadOnlySpan<string>)["/master/state", "/state", "/master/slaves", "/master/frameworks", "/master/tasks"])
        {
            Add("GET", state, RouteRule.On("mesos:master:state", Read));
        }

        Add("GET", "/metrics/snapshot", RouteRule.On("dcos:metrics", Read));
        Add("GET", "/weights", RouteRule.On("mesos:master:weights", Read));
        Add("PUT", "/weights", RouteRule.On("mesos:master:weights", Update));
        Add("GET", "/quota", RouteRule.On("mesos:master:quota", Read));
        Add("POST", "/quota", RouteRule.On("mesos:master:quota", Update));
        Add("DELETE", "/quota/{role}", RouteRule.On("mesos:master:quota", Update));
        Add("POST", "/master/teardown", RouteRule.On("mesos:master:teardown", Update));
        foreach (var verb in (ReadOnlySpan<string>)["drain", "reactivate", "gone"])
        {
            Add("POST", $"/master/agents/{{agentId}}/{verb}", RouteRule.On("cluster:agent:drain", Update));
        }

        Add("GET", "/api/v1/tasks/{taskId}/logs/{file}", RouteRule.On("mesos:task:sandbox", Read));
        Add("POST", "/master/reserve", RouteRule.On("mesos:master:reservation", Create));
        Add("POST", "/master/unreserve", RouteRule.On("mesos:master:reservation", Delete));
        Add("POST", "/master/create-volumes", RouteRule.On("mesos:master:volume", Create));
        Add("POST", "/master/destroy-volumes", RouteRule.On("mesos:master:volume", Delete));
        Add("POST", "/api/v1/scheduler", RouteRule.Checked); // roles at SUBSCRIBE, users at ACCEPT, the framework's own principal after
        Add("POST", "/api/v1", RouteRule.Checked); // by call type (OperatorCall)

        // Chronos.
        const string chronos = "/v1/scheduler";
        foreach (var path in (ReadOnlySpan<string>)["/iso8601", "/dependency"])
        {
            Add("POST,PUT", chronos + path, RouteRule.Checked); // the job the body names
        }

        foreach (var path in (ReadOnlySpan<string>)["/jobs", "/jobs/summary", "/jobs/search", "/graph/dot", "/graph/csv", "/stats/{percentile}"])
        {
            Add("GET", chronos + path, RouteRule.Checked); // filtered to the jobs the principal may read
        }

        Add("GET", chronos + "/leader", RouteRule.Checked);
        Add("GET", chronos + "/job/{name}", RouteRule.On(JobRoute, Read));
        Add("GET", chronos + "/job/{name}/runs", RouteRule.On(JobRoute, Read));
        Add("GET", chronos + "/job/stat/{name}", RouteRule.On(JobRoute, Read));
        Add("PUT", chronos + "/job/{name}", RouteRule.On(JobRoute, Update));
        Add("DELETE", chronos + "/job/{name}", RouteRule.On(JobRoute, Delete));
        Add("PUT", chronos + "/job/success/{name}", RouteRule.On(JobRoute, Update));
        Add("DELETE", chronos + "/task/kill/{name}", RouteRule.On(JobRoute, Update));

        // Discovery and load balancing.
        Add("GET", "/v1/version", RouteRule.Checked);
        foreach (var path in (ReadOnlySpan<string>)["/v1/config", "/v1/hosts/{host}", "/v1/services/{service}", "/v1/enumerate"])
        {
            Add("GET", path, RouteRule.On("dns:records", Read));
        }

        Add("GET", "/_haproxy_getconfig", RouteRule.On("lb:config", Read));

        // Packages.
        foreach (var path in (ReadOnlySpan<string>)["/package/search", "/package/describe", "/package/render", "/package/repository/list"])
        {
            Add("POST", path, RouteRule.On("packages:catalog", Read));
        }

        Add("POST", "/package/list", RouteRule.On("packages:package", Read));
        Add("POST", "/cosmos/service/describe", RouteRule.On("packages:package", Read));
        Add("POST", "/package/install", RouteRule.On("packages:package", Create));
        Add("POST", "/cosmos/service/update", RouteRule.On("packages:package", Update));
        Add("POST", "/package/uninstall", RouteRule.On("packages:package", Delete));
        Add("POST", "/package/repository/add", RouteRule.On("packages:repository", Create));
        Add("POST", "/package/repository/delete", RouteRule.On("packages:repository", Delete));
        return rules;
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrleansDcos.Silo.Security;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Integration.Security;

/// <summary>Login and permissions on every route of a silo with login on.</summary>
[Trait("Area", "Security")]
public sealed partial class SecurityTests(SecuredSilo silo) : IClassFixture<SecuredSilo>
{
    // The routes that need no token: liveness, login, the UI's page, the agents' link (own credential).
    private static readonly HashSet<string> OpenRoutes = ["GET /ping", "GET /health", "GET /master/health", "GET /", "POST /acs/api/v1/auth/login", "* /api/v1/agent/link"];

    [Fact]
    public async Task Without_a_token_every_mapped_route_answers_401_but_the_open_ones()
    {
        using var anonymous = silo.CreateClient();
        var routes = Routes();
        Assert.True(routes.Count > 80, $"only {routes.Count} routes found");
        var failures = new List<string>();
        foreach (var (method, pattern) in routes)
        {
            var open = OpenRoutes.Contains($"{method} {pattern}");
            using var request = new HttpRequestMessage(new HttpMethod(method == "*" ? "GET" : method), Concrete(pattern));
            if (method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            using var response = await anonymous.SendAsync(request);
            if (open == (response.StatusCode == HttpStatusCode.Unauthorized))
            {
                failures.Add($"{method} {pattern} → {(int)response.StatusCode}");
            }
            else if (!open)
            {
                Assert.Equal("acsjwt", response.Headers.WwwAuthenticate.ToString());
            }
        }

        Assert.True(failures.Count == 0, "routes answering wrongly without a token: " + string.Join("; ", failures));
    }

    [Fact]
    public void Every_mapped_route_has_a_permission_rule()
    {
        var missing = Routes().Where(r => RouteRules.For(r.Method == "*" ? "GET" : r.Method, r.Pattern) is null).Select(r => $"{r.Method} {r.Pattern}").ToList();

        Assert.True(missing.Count == 0, "routes without a rule in RouteRules: " + string.Join("; ", missing));
    }

    [Fact]
    public async Task A_principal_with_team_a_deploys_there_is_refused_under_team_b_and_sees_only_team_a()
    {
        using var admin = await silo.AdminAsync();
        using var alice = await silo.UserAsync("alice", ("marathon:app:/team-a/*", "full"));

        using (var created = await alice.PostAsJsonAsync("/v2/apps", App("/team-a/web")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var refused = await alice.PostAsJsonAsync("/v2/apps", App("/team-b/web")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("marathon:app:/team-b/web create", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var byAdmin = await admin.PostAsJsonAsync("/v2/apps", App("/team-b/web")))
        {
            Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
        }

        Assert.Equal(["/team-a/web"], await AppIdsAsync(alice, "/v2/apps"));
        Assert.Equal(["/team-a/web", "/team-b/web"], await AppIdsAsync(admin, "/v2/apps"));
        var groups = await alice.GetStringAsync("/v2/groups");
        Assert.Contains("/team-a/web", groups, StringComparison.Ordinal);
        Assert.DoesNotContain("team-b", groups, StringComparison.Ordinal);

        // Reading, changing or deleting team-b, directly or through a path that climbs out of team-a, is refused.
        foreach (var (method, path) in new[] { ("GET", "/v2/apps/team-b/web"), ("PUT", "/v2/apps/team-a/../team-b/web"), ("DELETE", "/v2/apps/team-b/web"), ("DELETE", "/v2/groups/team-b"), ("GET", "/v2/groups/team-b") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "PUT" ? JsonContent.Create(new { cmd = "sleep 5" }) : null };
            using var response = await alice.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} → {(int)response.StatusCode}");
        }

        // A group post under team-b is refused whole; the operator surfaces need their own grants.
        using (var group = await alice.PostAsJsonAsync("/v2/groups", new { id = "/team-b/more", apps = new[] { App("/team-b/more/x") } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, group.StatusCode);
        }

        using (var state = await alice.GetAsync("/master/state"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, state.StatusCode);
            Assert.Contains("mesos:master:state read", await state.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var teardown = await alice.PostAsJsonAsync("/api/v1", new { type = "TEARDOWN", teardown = new { framework_id = new { value = "x" } } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, teardown.StatusCode);
            Assert.Contains("mesos:master:teardown update", await teardown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Every change was recorded: alice's refusal too, and alice sees only her own entries.
        await Poll.UntilAsync(async () => (await AuditAsync(admin)).Any(e => e["principal"]!.GetValue<string>() == "alice" && e["path"]!.GetValue<string>() == "/v2/apps" && e["status"]!.GetValue<int>() == 403),
            TimeSpan.FromSeconds(20), "alice's refused deploy in the audit trail");
        var own = await AuditAsync(alice);
        Assert.NotEmpty(own);
        Assert.All(own, e => Assert.Equal("alice", e["principal"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Revoked_tokens_disabled_accounts_and_wrong_passwords_get_401()
    {
        using var admin = await silo.AdminAsync();
        using var bob = await silo.UserAsync("bob", ("marathon:app:/bob/*", "read"));
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/v2/apps")).StatusCode);

        using (var revoked = await admin.PostAsync("/acs/api/v1/users/bob/revoke-tokens", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await bob.GetAsync("/v2/apps")).StatusCode);

        using var again = await silo.LoginAsync("bob", "user-password-1");
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/v2/apps")).StatusCode);
        using (var disabled = await admin.PatchAsJsonAsync("/acs/api/v1/users/bob", new { enabled = false }))
        {
            Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await again.GetAsync("/v2/apps")).StatusCode);
        using var anonymous = silo.CreateClient();
        foreach (var (uid, password) in new[] { ("bob", "user-password-1"), ("admin", "wrong-password"), ("nobody", "whatever-1") })
        {
            using var login = await anonymous.PostAsJsonAsync("/acs/api/v1/auth/login", new { uid, password });
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
            Assert.DoesNotContain("password", (await login.Content.ReadAsStringAsync()).Replace("wrong credentials", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        }

        // A forged token (signed with another key) is refused too.
        anonymous.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
            {
                Issuer = AccessTokens.Issuer,
                Expires = DateTime.UtcNow.AddHours(1),
                Claims = new Dictionary<string, object> { [AccessTokens.UidClaim] = "admin", [AccessTokens.EpochClaim] = 0 },
                SigningCredentials = new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[32]), "HS256"),
            }));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v2/apps")).StatusCode);
    }

    [Fact]
    public async Task A_service_account_logs_in_with_a_token_signed_by_its_key_and_not_with_another_key()
    {
        using var admin = await silo.AdminAsync();
        using var key = System.Security.Cryptography.RSA.Create(2048);
        using var other = System.Security.Cryptography.RSA.Create(2048);
        using (var created = await admin.PutAsJsonAsync("/acs/api/v1/users/ci-bot", new { public_key = key.ExportSubjectPublicKeyInfoPem(), description = "CI" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsync($"/acs/api/v1/acls/{Uri.EscapeDataString("marathon:app:/ci/*")}/users/ci-bot/read", null)).StatusCode);
        string Assertion(System.Security.Cryptography.RSA signer, string uid, TimeSpan lifetime) => new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Expires = DateTime.UtcNow + lifetime,
            Claims = new Dictionary<string, object> { [AccessTokens.UidClaim] = uid },
            SigningCredentials = new(new Microsoft.IdentityModel.Tokens.RsaSecurityKey(signer), "RS256"),
        });

        using var anonymous = silo.CreateClient();
        foreach (var (signer, uid, lifetime, expected) in new[]
        {
            (other, "ci-bot", TimeSpan.FromMinutes(5), HttpStatusCode.Unauthorized),
            (key, "admin", TimeSpan.FromMinutes(5), HttpStatusCode.Unauthorized),
            (key, "ci-bot", TimeSpan.FromDays(2), HttpStatusCode.Unauthorized),
            (key, "ci-bot", TimeSpan.FromMinutes(5), HttpStatusCode.OK),
        })
        {
            using var login = await anonymous.PostAsJsonAsync("/acs/api/v1/auth/login", new { uid = "ci-bot", token = Assertion(signer, uid, lifetime) });
            Assert.True(login.StatusCode == expected, $"{uid} for {lifetime}: {(int)login.StatusCode}");
            if (expected == HttpStatusCode.OK)
            {
                anonymous.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", (await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>());
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/v2/apps")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.PostAsJsonAsync("/v2/apps", App("/ci/x"))).StatusCode);
    }

    [Fact]
    public async Task Identities_are_managed_by_dcos_iam_and_one_may_read_and_change_ones_own()
    {
        using var carol = await silo.UserAsync("carol");
        using (var create = await carol.PutAsJsonAsync("/acs/api/v1/users/mallory", new { password = "mallory-password" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
            Assert.Contains("dcos:iam create", await create.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await carol.PutAsync("/acs/api/v1/acls/dcos:superuser/users/carol/full", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carol.GetAsync("/acs/api/v1/users/admin")).StatusCode);
        var own = await carol.GetFromJsonAsync<JsonObject>("/acs/api/v1/users/carol");
        Assert.Equal("carol", own!["uid"]!.GetValue<string>());
        Assert.DoesNotContain("pbkdf2", own.ToJsonString(), StringComparison.Ordinal);
        using (var changed = await carol.PatchAsJsonAsync("/acs/api/v1/users/carol", new { password = "carol-new-password" }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        // A new password revokes the old tokens; the new one logs in.
        Assert.Equal(HttpStatusCode.Unauthorized, (await carol.GetAsync("/v2/apps")).StatusCode);
        using var again = await silo.LoginAsync("carol", "carol-new-password");
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/v2/apps")).StatusCode);
        using var admin = await silo.AdminAsync();
        var users = (await admin.GetFromJsonAsync<JsonObject>("/acs/api/v1/users"))!["array"]!.AsArray();
        Assert.Contains(users, u => u!["uid"]!.GetValue<string>() == "carol");
        Assert.DoesNotContain("pbkdf2", users.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_framework_may_subscribe_only_with_roles_and_run_tasks_only_as_users_its_principal_may_use()
    {
        using var framework = await silo.UserAsync("analytics", ("mesos:framework:role:dev", "create"), ("mesos:task:user:nobody", "create"));

        using (var wrongRole = await SubscribeAsync(framework, "prod", "nobody"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrongRole.StatusCode);
            Assert.Contains("mesos:framework:role:prod create", await wrongRole.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var wrongUser = await SubscribeAsync(framework, "dev", "root"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrongUser.StatusCode);
            Assert.Contains("mesos:task:user:root create", await wrongUser.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var subscribed = await SubscribeAsync(framework, "dev", "nobody");
        Assert.Equal(HttpStatusCode.OK, subscribed.StatusCode);
        var streamId = subscribed.Headers.GetValues("Mesos-Stream-Id").Single();
        var frameworkId = FrameworkId().Match(await ReadFirstEventAsync(subscribed)).Groups[1].Value;

        // A task to run as root is refused before any offer is looked at; another principal may not act for the framework.
        using var accept = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler")
        {
            Content = JsonContent.Create(JsonNode.Parse($$$"""
                {"type":"ACCEPT","framework_id":{"value":"{{{frameworkId}}}"},"accept":{"offer_ids":[{"value":"o-1"}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[
                  {"name":"t","task_id":{"value":"t-1"},"agent_id":{"value":"a-1"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}}],
                   "command":{"value":"true","user":"root"}}]}}]}}
                """)),
        };
        accept.Headers.Add("Mesos-Stream-Id", streamId);
        using (var refused = await framework.SendAsync(accept))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("mesos:task:user:root create", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var other = await silo.UserAsync("intruder", ("mesos:framework:role:dev", "create"), ("mesos:task:user:root", "create"));
        using var revive = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler") { Content = JsonContent.Create(JsonNode.Parse($$$"""{"type":"REVIVE","framework_id":{"value":"{{{frameworkId}}}"}}""")) };
        revive.Headers.Add("Mesos-Stream-Id", streamId);
        using (var notOwner = await other.SendAsync(revive))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notOwner.StatusCode);
            Assert.Contains("belongs to principal 'analytics'", await notOwner.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private static async Task<HttpResponseMessage> SubscribeAsync(HttpClient client, string role, string user)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler")
        {
            Content = JsonContent.Create(JsonNode.Parse($$$"""{"type":"SUBSCRIBE","subscribe":{"framework_info":{"name":"f","user":"{{{user}}}","roles":["{{{role}}}"],"capabilities":[{"type":"MULTI_ROLE"}]} } }""")),
        };
        request.Headers.Accept.ParseAdd("application/json");
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task<string> ReadFirstEventAsync(HttpResponseMessage response)
    {
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[8192];
        var text = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!text.ToString().Contains("SUBSCRIBED", StringComparison.Ordinal) || !FrameworkId().IsMatch(text.ToString()))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, "the stream ended before SUBSCRIBED");
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    [GeneratedRegex("\"framework_id\":\\{\"value\":\"([^\"]+)\"")]
    private static partial Regex FrameworkId();

    private static object App(string id) => new { id, cmd = "sleep 100", cpus = 0.1, mem = 16, instances = 0 };

    private static async Task<List<string>> AppIdsAsync(HttpClient client, string path) =>
        [.. (await client.GetFromJsonAsync<JsonObject>(path))!["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    private static async Task<List<JsonNode>> AuditAsync(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<JsonObject>("/acs/api/v1/audit?limit=1000"))!["array"]!.AsArray().Select(e => e!)];

    /// <summary>Every (method, route pattern) the silo maps; <c>*</c> for a route of any method.</summary>
    private List<(string Method, string Pattern)> Routes() =>
        [.. silo.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (m, e.RoutePattern.RawText ?? "")))
            .Distinct()];

    /// <summary>A URL of <paramref name="pattern"/> with every parameter filled in.</summary>
    private static string Concrete(string pattern) => Parameter().Replace(pattern.Length == 0 ? "/" : pattern.StartsWith('/') ? pattern : "/" + pattern, "x");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}

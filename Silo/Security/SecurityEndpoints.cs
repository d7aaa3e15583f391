using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansDcos.Grains.Security;
using OrleansDcos.Scheduling.Security;
using OrleansDcos.Silo.Api;

namespace OrleansDcos.Silo.Security;

/// <summary>
/// DC/OS' identity and access API under <c>/acs/api/v1</c>: login (a user's password or a service account's signed
/// assertion → a bearer token), users and service accounts, grants (<c>PUT|DELETE /acls/{rid}/users/{uid}/{action}</c>),
/// token revocation and the audit trail. No answer ever holds a password, hash or token but login's own.
/// </summary>
public static class SecurityEndpoints
{
    /// <summary>Where a token is obtained.</summary>
    public const string LoginPath = "/acs/api/v1/auth/login";

    /// <summary>The largest request body these endpoints read.</summary>
    public const long MaxRequestBytes = 64 * 1024;

    // Slow hashes run on the request's silo, a few at a time (a flood of logins cannot take every core).
    private static readonly SemaphoreSlim Hashing = new(Math.Max(1, Environment.ProcessorCount / 2));

    // Checked against when the uid is unknown, so an unknown user costs what a wrong password costs.
    private static readonly Lazy<string> DecoyHash = new(() => PasswordHash.Hash(Guid.NewGuid().ToString("N")));

    /// <summary>Maps the identity and access API.</summary>
    public static IEndpointRouteBuilder MapSecurity(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(LoginPath, LoginAsync);
        endpoints.MapGet("/acs/api/v1/users", async (IdentityCache cache) =>
            Results.Json(new JsonObject { ["array"] = new JsonArray([.. (await cache.CurrentAsync()).Identities.Values.Select(i => (JsonNode)UserJson(i))]) }));
        endpoints.MapGet("/acs/api/v1/users/{uid}", (string uid, HttpContext context, IdentityCache cache) => Guard(async () =>
        {
            SelfOr(context, uid, PermissionActions.Read);
            return Results.Json(UserJson(Require(await cache.CurrentAsync(), uid)));
        }));
        endpoints.MapPut("/acs/api/v1/users/{uid}", (string uid, HttpContext context, IdentityCache cache) => Guard(async () =>
        {
            var body = await ReadObjectAsync(context);
            var password = Text(body, "password");
            var publicKey = Text(body, "public_key");
            var hash = password is null ? null : await HashAsync(password);
            var created = await cache.Grain.Create(uid, hash, publicKey, Text(body, "description") ?? "");
            cache.Invalidate();
            return Results.Json(UserJson(created), statusCode: StatusCodes.Status201Created);
        }));
        endpoints.MapMethods("/acs/api/v1/users/{uid}", ["PATCH"], (string uid, HttpContext context, IdentityCache cache) => Guard(async () =>
        {
            var body = await ReadObjectAsync(context);
            var enabled = body["enabled"] switch
            {
                null => (bool?)null,
                JsonValue v when v.TryGetValue<bool>(out var b) => b,
                _ => throw new BadRequestException("'enabled' must be true or false"),
            };

            // One may change one's own password and description; enabling, disabling and others need dcos:iam update.
            SelfOr(context, enabled is null ? uid : "", PermissionActions.Update);
            var password = Text(body, "password");
            var updated = await cache.Grain.Update(uid, password is null ? null : await HashAsync(password), Text(body, "description"), enabled);
            cache.Invalidate();
            return Results.Json(UserJson(updated));
        }));
        endpoints.MapDelete("/acs/api/v1/users/{uid}", (string uid, IdentityCache cache) => Guard(async () =>
        {
            await cache.Grain.Delete(uid);
            cache.Invalidate();
            return Results.NoContent();
        }));
        endpoints.MapGet("/acs/api/v1/users/{uid}/permissions", (string uid, HttpContext context, IdentityCache cache) => Guard(async () =>
        {
            SelfOr(context, uid, PermissionActions.Read);
            var identity = Require(await cache.CurrentAsync(), uid);
            return Results.Json(new JsonObject
            {
                ["array"] = new JsonArray([.. identity.Grants.Select(g => (JsonNode)new JsonObject
                {
                    ["rid"] = g.Resource,
                    ["actions"] = new JsonArray([.. Authorizer.ActionText((PermissionActions)g.Actions).Split(',').Select(a => (JsonNode)a)]),
                })]),
            });
        }));
        endpoints.MapPost("/acs/api/v1/users/{uid}/revoke-tokens", (string uid, HttpContext context, IdentityCache cache) => Guard(async () =>
        {
            SelfOr(context, uid, PermissionActions.Update);
            await cache.Grain.RevokeTokens(uid);
            cache.Invalidate();
            return Results.NoContent();
        }));
        endpoints.MapPut("/acs/api/v1/acls/{rid}/users/{uid}/{action}", (string rid, string uid, string action, IdentityCache cache) => Guard(async () =>
        {
            await cache.Grain.Grant(uid, Rid(rid), (int)Actions(action));
            cache.Invalidate();
            return Results.NoContent();
        }));
        endpoints.MapDelete("/acs/api/v1/acls/{rid}/users/{uid}/{action}", (string rid, string uid, string action, IdentityCache cache) => Guard(async () =>
        {
            await cache.Grain.Revoke(uid, Rid(rid), (int)Actions(action));
            cache.Invalidate();
            return Results.NoContent();
        }));
        endpoints.MapPost("/acs/api/v1/join-tokens", (HttpContext context, IGrainFactory grains, TimeProvider time) => Guard(async () =>
        {
            var body = await ReadObjectAsync(context);
            var id = Text(body, "id") ?? throw new BadRequestException("'id' is required");
            var seconds = Number(body, "expires_in_seconds");
            var uses = Number(body, "uses");
            if (seconds is <= 0 or > 366 * 86400 || uses is <= 0 or > 1_000_000)
            {
                throw new BadRequestException("'expires_in_seconds' is 1 to 31622400 and 'uses' 1 to 1000000 (leave either out for no limit)");
            }

            var token = await Enrollment(grains).CreateToken(id, seconds is { } s ? time.GetUtcNow().AddSeconds(s) : null, (int?)uses);
            return Results.Json(TokenJson(token), statusCode: StatusCodes.Status201Created);
        }));
        endpoints.MapGet("/acs/api/v1/join-tokens", (IGrainFactory grains) => Guard(async () =>
            Results.Json(new JsonObject { ["array"] = new JsonArray([.. (await Enrollment(grains).ListTokens()).Select(t => (JsonNode)TokenJson(t))]) })));
        endpoints.MapDelete("/acs/api/v1/join-tokens/{id}", (string id, IGrainFactory grains) => Guard(async () =>
        {
            await Enrollment(grains).RevokeToken(id);
            return Results.NoContent();
        }));
        endpoints.MapGet("/acs/api/v1/agents", (IGrainFactory grains) => Guard(async () =>
            Results.Json(new JsonObject
            {
                ["array"] = new JsonArray([.. (await Enrollment(grains).ListAgents()).Select(a => (JsonNode)new JsonObject
                {
                    ["agent_id"] = a.AgentId,
                    ["admitted_by"] = a.AdmittedBy,
                    ["enrolled_at"] = a.IssuedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["revoked"] = a.Revoked,
                })]),
            })));
        endpoints.MapPost("/acs/api/v1/agents/{agentId}/revoke", (string agentId, IGrainFactory grains) => Guard(async () =>
        {
            await Enrollment(grains).RevokeAgent(agentId);
            return Results.NoContent();
        }));
        endpoints.MapGet("/acs/api/v1/audit", (long? after, int? limit, HttpContext context, IGrainFactory grains) => Guard(async () =>
        {
            var access = Access.Of(context);
            var all = access.Allows("dcos:audit", PermissionActions.Read);
            var entries = await grains.GetGrain<IAuditGrain>(IAuditGrain.Key).Read(after ?? 0, Math.Clamp(limit ?? 100, 1, 1000), all ? null : access.Principal ?? "anonymous");
            return Results.Json(new JsonObject
            {
                ["array"] = new JsonArray([.. entries.Select(e => (JsonNode)new JsonObject
                {
                    ["sequence"] = e.Sequence,
                    ["at"] = e.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["principal"] = e.Principal,
                    ["method"] = e.Method,
                    ["path"] = e.Path,
                    ["status"] = e.Status,
                    ["subject"] = e.Subject,
                })]),
            });
        }));
        return endpoints.MapSecrets();
    }

    private static async Task<IResult> LoginAsync(HttpContext context, IdentityCache cache, IOptions<SecurityOptions> options, TimeProvider time) => await Guard(async () =>
    {
        var body = await ReadObjectAsync(context);
        var uid = Text(body, "uid") ?? throw new BadRequestException("'uid' is required");
        context.Items[AuditRecorder.SubjectItem] = IdentityRules.Printable(uid);
        var password = Text(body, "password");
        var assertion = Text(body, "token");
        if ((password is null) == (assertion is null))
        {
            throw new BadRequestException("give 'password' (a user) or 'token' (a service account's signed login token)");
        }

        var view = await cache.CurrentAsync();
        var identity = view.Identities.GetValueOrDefault(uid);
        bool proven;
        if (password is not null)
        {
            var hash = identity?.PasswordHash ?? DecoyHash.Value;
            await Hashing.WaitAsync(context.RequestAborted);
            try
            {
                proven = await Task.Run(() => PasswordHash.Verify(password, hash)) && identity?.PasswordHash is not null;
            }
            finally
            {
                Hashing.Release();
            }
        }
        else
        {
            proven = identity is { IsService: true } && await AccessTokens.CheckAssertionAsync(identity, assertion!, time.GetUtcNow()) is null;
        }

        if (!proven || identity is not { Enabled: true })
        {
            return ApiResults.Error(StatusCodes.Status401Unauthorized, "login failed: unknown account, wrong credentials, or the account is disabled");
        }

        return Results.Json(new JsonObject { ["token"] = AccessTokens.Issue(view, identity, time.GetUtcNow(), options.Value.TokenLifetime) });
    });

    private static IEnrollmentGrain Enrollment(IGrainFactory grains) => grains.GetGrain<IEnrollmentGrain>(IEnrollmentGrain.Key);

    private static JsonObject TokenJson(JoinTokenInfo token) => new()
    {
        ["id"] = token.Id,
        ["token"] = token.Text,
        ["expires_at"] = token.ExpiresAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["uses_left"] = token.UsesLeft,
        ["revoked"] = token.Revoked,
    };

    private static long? Number(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<long>(out var n) => n,
        _ => throw new BadRequestException($"'{name}' must be a whole number"),
    };

    /// <summary>Runs <paramref name="action"/>, answering the identity, enrollment and secret grains' refusals with their status.</summary>
    internal static async Task<IResult> Guard(Func<Task<IResult>> action)
    {
        try
        {
            return await ApiResults.Guard(action);
        }
        catch (IdentityException ex)
        {
            return ApiResults.Error(ex.Status, ex.Message);
        }
    }

    /// <summary>Allows the call when it is about the caller's own identity, else demands <paramref name="action"/> on <c>dcos:iam</c>.</summary>
    private static void SelfOr(HttpContext context, string uid, PermissionActions action)
    {
        var access = Access.Of(context);
        if (access.Principal != uid)
        {
            access.Demand("dcos:iam", action);
        }
    }

    private static IdentityRecord Require(IdentityView view, string uid) =>
        view.Identities.GetValueOrDefault(uid) ?? throw new IdentityException(StatusCodes.Status404NotFound, $"no user or service account '{IdentityRules.Printable(uid)}'");

    private static JsonObject UserJson(IdentityRecord identity) => new()
    {
        ["uid"] = identity.Uid,
        ["description"] = identity.Description,
        ["is_service"] = identity.IsService,
        ["enabled"] = identity.Enabled,
        ["public_key"] = identity.PublicKeyPem,
    };

    private static async Task<string> HashAsync(string password)
    {
        if (password.Length is < 8 or > PasswordHash.MaxPasswordLength)
        {
            throw new BadRequestException($"a password has 8 to {PasswordHash.MaxPasswordLength} characters");
        }

        await Hashing.WaitAsync();
        try
        {
            return await Task.Run(() => PasswordHash.Hash(password));
        }
        finally
        {
            Hashing.Release();
        }
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        await ApiJson.ReadAsync(context, MaxRequestBytes, "the identity API's limit") as JsonObject
            ?? throw new BadRequestException("the body must be a JSON object");

    private static string? Text(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new BadRequestException($"'{name}' must be a string"),
    };

    /// <summary>A resource id from the route: DC/OS writes <c>/</c> in one as <c>%2F</c>, sometimes encoded twice (<c>%252F</c>).</summary>
    private static string Rid(string rid)
    {
        var decoded = Uri.UnescapeDataString(rid);
        return decoded.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(decoded) : decoded;
    }

    private static PermissionActions Actions(string action) =>
        Authorizer.ParseActions(action) ?? throw new BadRequestException($"'{IdentityRules.Printable(action)}' is not an action (read, create, update, delete, full)");
}

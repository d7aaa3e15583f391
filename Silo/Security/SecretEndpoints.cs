using System.Text.Json.Nodes;
using OrleansDcos.Grains.Security;
using OrleansDcos.Scheduling.Security;
using OrleansDcos.Silo.Api;

namespace OrleansDcos.Silo.Security;

/// <summary>
/// DC/OS' secrets API, <c>/secrets/v1/secret/default/{path}</c>: PUT <c>{"value"}</c> makes a secret, PATCH changes it,
/// DELETE removes it, GET tells its path and times (never its value; <c>?list=true</c> or no path lists the paths the
/// caller may read). Values are sealed with the cluster key before they are kept.
/// </summary>
public static class SecretEndpoints
{
    /// <summary>The route of one secret.</summary>
    public const string Route = "/secrets/v1/secret/{store}/{**path}";

    /// <summary>The one store.</summary>
    public const string Store = "default";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapSecrets(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPut(Route, (string store, string path, HttpContext context, IGrainFactory grains) => Guard(store, async () =>
        {
            var info = await Secrets(grains).Put(path, await ValueAsync(context), create: true);
            return Results.Json(Json(info), statusCode: StatusCodes.Status201Created);
        }));
        endpoints.MapMethods(Route, ["PATCH"], (string store, string path, HttpContext context, IGrainFactory grains) => Guard(store, async () =>
        {
            await Secrets(grains).Put(path, await ValueAsync(context), create: false);
            return Results.NoContent();
        }));
        endpoints.MapDelete(Route, (string store, string path, IGrainFactory grains) => Guard(store, async () =>
        {
            await Secrets(grains).Delete(path);
            return Results.NoContent();
        }));
        endpoints.MapGet(Route, (string store, string? path, HttpContext context, IGrainFactory grains) => Guard(store, async () =>
        {
            var access = Access.Of(context);
            var all = await Secrets(grains).List();
            var prefix = (path ?? "").Trim('/');
            if (prefix.Length == 0 || context.Request.Query["list"] == "true")
            {
                return Results.Json(new JsonObject
                {
                    ["array"] = new JsonArray([.. all.Where(s => (prefix.Length == 0 || s.Path == prefix || s.Path.StartsWith(prefix + "/", StringComparison.Ordinal))
                        && access.Allows(SecretPaths.Resource(s.Path), PermissionActions.Read)).Select(s => (JsonNode)s.Path)]),
                });
            }

            var normalized = SecretPaths.Normalize(prefix, out var problem) ?? throw new BadRequestException(problem!);
            access.Demand(SecretPaths.Resource(normalized), PermissionActions.Read);
            var info = all.FirstOrDefault(s => s.Path == normalized) ?? throw new IdentityException(StatusCodes.Status404NotFound, $"no secret '{normalized}'");
            return Results.Json(Json(info));
        }));
        return endpoints;
    }

    /// <summary>The resource of the secret a request's route names.</summary>
    public static string ResourceOf(HttpContext context) =>
        SecretPaths.Resource(SecretPaths.Normalize(context.Request.RouteValues["path"] as string, out _) ?? "");

    private static ISecretsGrain Secrets(IGrainFactory grains) => grains.GetGrain<ISecretsGrain>(ISecretsGrain.Key);

    private static JsonObject Json(SecretInfo info) => new()
    {
        ["path"] = info.Path,
        ["created"] = info.Created.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["updated"] = info.Updated.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static async Task<string> ValueAsync(HttpContext context) =>
        await ApiJson.ReadAsync(context, SecretBox.MaxValueBytes * 2, "the secrets API's limit") is JsonObject { } body && body["value"] is JsonValue v && v.TryGetValue<string>(out var value)
            ? value
            : throw new BadRequestException("the body must be {\"value\": \"…\"}");

    private static async Task<IResult> Guard(string store, Func<Task<IResult>> action)
    {
        if (store != Store)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, $"there is one secret store, '{Store}' (not '{IdentityRules.Printable(store)}')");
        }

        return await SecurityEndpoints.Guard(action);
    }
}

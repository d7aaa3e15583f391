using Microsoft.AspNetCore.Http.Metadata;
using OrleansDcos.Silo.Api;

namespace OrleansDcos.Silo.Security;

/// <summary>
/// With login on, every request passes here after routing: an open route goes on; any other needs a valid, unrevoked
/// token (401 with <c>WWW-Authenticate: acsjwt</c> otherwise) and the permission its <see cref="RouteRule"/> names
/// (403 naming the missing one). A route without a rule is refused. The caller's <see cref="Access"/> is kept on the
/// request for the handlers.
/// </summary>
public sealed partial class AccessGate(RequestDelegate next, SecurityState state, IdentityCache cache, ILogger<AccessGate> logger)
{
    /// <summary>Checks the request, then runs the rest of the pipeline.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (!state.Enforced)
        {
            await next(context);
            return;
        }

        var endpoint = context.GetEndpoint();
        var pattern = (endpoint as RouteEndpoint)?.RoutePattern.RawText;
        var rule = pattern is null ? null : RouteRules.For(context.Request.Method, pattern);
        if (rule?.Open == true)
        {
            context.Features.Set(Access.Nobody);
            await next(context);
            return;
        }

        var view = await cache.CurrentAsync();
        var principal = context.User.Identity?.IsAuthenticated == true ? AccessTokens.Principal(context.User, view) : null;
        if (principal is null)
        {
            context.Response.Headers.WWWAuthenticate = "acsjwt";
            await ApiResults.Error(context, StatusCodes.Status401Unauthorized, context.User.Identity?.IsAuthenticated == true || HasToken(context)
                ? "authentication failed: the token is invalid, expired or revoked; log in again"
                : $"authentication required: log in at POST {SecurityEndpoints.LoginPath} and send 'Authorization: token=<token>'");
            return;
        }

        var access = new Access(principal, view.Grants.GetValueOrDefault(principal) ?? []);
        context.Features.Set(access);
        if (endpoint is null || (rule is null && (string.IsNullOrEmpty(pattern) || !Serves(endpoint, context.Request.Method))))
        {
            await next(context); // 404 or 405, answered by routing
            return;
        }

        if (rule is null)
        {
            NoRule(logger, context.Request.Method, pattern ?? "");
            await ApiResults.Error(context, StatusCodes.Status403Forbidden, $"forbidden: no permission rule covers {context.Request.Method} {pattern}");
            return;
        }

        if (rule.Need?.Invoke(context) is { } need && !access.Allows(need.Resource, need.Action))
        {
            await ApiResults.Error(context, StatusCodes.Status403Forbidden, new AccessDeniedException(Scheduling.Security.Authorizer.Missing(access.Grants, need.Resource, need.Action)!).Message);
            return;
        }

        await next(context);
    }

    private static bool HasToken(HttpContext context) => context.Request.Headers.Authorization.Count > 0;

    private static bool Serves(Endpoint endpoint, string method) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods || methods.HttpMethods.Contains(method, StringComparer.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Error, Message = "No permission rule covers {Method} {Pattern}: refused (add it to RouteRules)")]
    private static partial void NoRule(ILogger logger, string method, string pattern);
}

using Microsoft.AspNetCore.Diagnostics;
using OrleansDcos.Grains.Interfaces.Api;

namespace OrleansDcos.Silo.Api;

/// <summary>
/// Makes every error a JSON <see cref="ApiError"/>: unknown routes, wrong methods and unhandled
/// exceptions (never a stack trace to a caller; the exception goes to the log). A grain call that found its silo gone
/// or overloaded, or timed out, is asked again or answered 503 with <c>Retry-After</c> by <see cref="FailoverRetry"/>:
/// the cluster is failing over, not broken.
/// </summary>
public static class ApiErrorHandling
{
    /// <summary>Adds the error middleware; call first in the pipeline.</summary>
    public static WebApplication UseApiErrors(this WebApplication app)
    {
        app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
        {
            var feature = context.Features.Get<IExceptionHandlerFeature>();
            var (status, message) = feature?.Error switch
            {
                BadHttpRequestException bad => (bad.StatusCode, bad.Message),
                InvalidDataException form => (StatusCodes.Status400BadRequest, $"the form is not valid: {form.Message}"),
                Security.AccessDeniedException denied => (StatusCodes.Status403Forbidden, denied.Message),

                // A silo died or is overloaded (the cluster is moving its grains): worth asking again shortly.
                { } error when FailoverRetry.IsFailover(error) => (StatusCodes.Status503ServiceUnavailable, FailoverRetry.Message(error)),

                // The state store failed the change (PostgreSQL restarting): nothing of it was kept or acted on.
                { } error when error.GetBaseException() is System.Data.Common.DbException store => (StatusCodes.Status503ServiceUnavailable, $"the state store is unavailable, try again: {store.Message}"),
                _ => (StatusCodes.Status500InternalServerError, "internal error: see the silo log"),
            };
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                context.Response.Headers.RetryAfter = "1";
            }

            await context.Response.WriteAsJsonAsync(ApiError.Of(message));
        }));

        app.UseStatusCodePages(async statusContext =>
        {
            var context = statusContext.HttpContext;
            var message = context.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"not found: {context.Request.Method} {context.Request.Path}",
                StatusCodes.Status405MethodNotAllowed => $"method not allowed: {context.Request.Method} {context.Request.Path}",
                var code => $"request failed with status {code}",
            };
            await context.Response.WriteAsJsonAsync(ApiError.Of(message));
        });
        app.UseMiddleware<FailoverRetry>();
        return app;
    }
}

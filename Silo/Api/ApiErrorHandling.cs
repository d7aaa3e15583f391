using Microsoft.AspNetCore.Diagnostics;
using OrleansDcos.Grains.Interfaces.Api;

namespace OrleansDcos.Silo.Api;

/// <summary>
/// Makes every error a JSON <see cref="ApiError"/>: unknown routes, wrong methods and unhandled
/// exceptions (never a stack trace to a caller; the exception goes to the log).
/// </summary>
public static class ApiErrorHandling
{
    /// <summary>Adds the error middleware; call first in the pipeline.</summary>
    public static WebApplication UseApiErrors(this WebApplication app)
    {
        app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
        {
            var feature = context.Features.Get<IExceptionHandlerFeature>();
            context.Response.StatusCode = feature?.Error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
            var message = context.Response.StatusCode == StatusCodes.Status500InternalServerError
                ? "internal error: see the silo log"
                : feature?.Error.Message ?? "bad request";
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
        return app;
    }
}

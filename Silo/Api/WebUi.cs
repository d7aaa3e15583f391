using Microsoft.Extensions.FileProviders;

namespace OrleansDcos.Silo.Api;

/// <summary>
/// The web UI: plain HTML, CSS and an ES module under <c>wwwroot/ui</c> (no build step), served at <c>/</c> and
/// <c>/ui/…</c> from the silo's own output directory, so it is there however the silo is started.
/// </summary>
public static partial class WebUi
{
    /// <summary>Serves <c>/</c> (the page) and <c>/ui/…</c> (its script and styles).</summary>
    public static WebApplication MapWebUi(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!Directory.Exists(root))
        {
            return app; // a test host without the UI's files
        }

        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(root, "ui")),
            RequestPath = "/ui",
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        var page = Path.Combine(root, "ui", "index.html");
        app.MapGet("/", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return Results.File(page, "text/html; charset=utf-8");
        });
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebUi).FullName!);
            foreach (var url in app.Urls)
            {
                Serving(logger, url.TrimEnd('/') + "/");
            }
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Web UI at {Url}")]
    private static partial void Serving(ILogger logger, string url);
}

using Microsoft.Extensions.FileProviders;

namespace OrleansDcos.Silo.Api;

/// <summary>
/// The web UI: plain HTML, CSS and an ES module under <c>wwwroot/ui</c> (no build step), served at <c>/</c> and
/// <c>/ui/…</c> from the silo's own output directory, so it is there however the silo is started. Every answer of the
/// UI carries <see cref="SecurityHeaders"/>: only the silo's own scripts, styles and API (no inline code, no framing,
/// no MIME sniffing, no referrer sent elsewhere).
/// </summary>
public static partial class WebUi
{
    /// <summary>The headers of every UI answer.</summary>
    public static readonly IReadOnlyDictionary<string, string> SecurityHeaders = new Dictionary<string, string>
    {
        ["Content-Security-Policy"] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ["X-Content-Type-Options"] = "nosniff",
        ["X-Frame-Options"] = "DENY",
        ["Referrer-Policy"] = "no-referrer",
        ["Cross-Origin-Opener-Policy"] = "same-origin",
    };

    private static void Secure(HttpResponse response)
    {
        response.Headers.CacheControl = "no-cache";
        foreach (var (name, value) in SecurityHeaders)
        {
            response.Headers[name] = value;
        }
    }

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
            OnPrepareResponse = context => Secure(context.Context.Response),
        });
        var page = Path.Combine(root, "ui", "index.html");
        app.MapGet("/", (HttpContext context) =>
        {
            Secure(context.Response);
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

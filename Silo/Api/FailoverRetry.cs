namespace OrleansDcos.Silo.Api;

/// <summary>
/// A silo's death is routine for its peers: a request whose grain call met a dead or overloaded silo (or timed out
/// while the cluster moved its grains) is asked again for up to <see cref="Window"/> when that is safe (GET and HEAD,
/// nothing written yet), and otherwise answered 503 with <c>Retry-After</c> — never a 500, never a stack trace in the
/// log. A change (POST, PUT, …) is not repeated here: its outcome is unknown and the caller decides.
/// </summary>
public sealed partial class FailoverRetry(RequestDelegate next, TimeProvider time, ILogger<FailoverRetry> logger)
{
    /// <summary>How long a safe request is asked again: the membership's bound for declaring a dead silo, and some.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

    /// <summary>True for what a failover throws out of a grain call.</summary>
    public static bool IsFailover(Exception ex) => ex is SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException or TimeoutException;

    /// <summary>What a caller is told when a failover got in the way.</summary>
    public static string Message(Exception failover) => $"the cluster is failing over, try again: {failover.Message}";

    /// <summary>Runs the rest of the pipeline, asking again or answering 503 when a failover got in the way.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var safe = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        var deadline = time.GetUtcNow() + Window;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await next(context);
                if (attempt > 1)
                {
                    Log.Recovered(logger, context.Request.Method, context.Request.Path, attempt);
                }

                return;
            }
            catch (Exception ex) when (IsFailover(ex) && !context.RequestAborted.IsCancellationRequested)
            {
                if (context.Response.HasStarted)
                {
                    // Part of the answer is out: the connection ends and the client sees it cut.
                    Log.CutShort(logger, context.Request.Method, context.Request.Path, ex.GetType().Name, ex.Message);
                    context.Abort();
                    return;
                }

                if (safe && time.GetUtcNow() + Pause < deadline)
                {
                    await Task.Delay(Pause, time, context.RequestAborted);
                    continue;
                }

                Log.Unavailable(logger, context.Request.Method, context.Request.Path, ex.GetType().Name, ex.Message);
                context.Response.Clear();
                context.Response.Headers.RetryAfter = "1";
                await ApiResults.Error(context, StatusCodes.Status503ServiceUnavailable, Message(ex));
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} met a failover ({Type}: {Error}); answered 503")]
        public static partial void Unavailable(ILogger logger, string method, string path, string type, string error);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Method} {Path} answered after a failover, on attempt {Attempt}")]
        public static partial void Recovered(ILogger logger, string method, string path, int attempt);

        [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Method} {Path} was cut short by a failover ({Type}: {Error})")]
        public static partial void CutShort(ILogger logger, string method, string path, string type, string error);
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansDcos.Runtime.Membership;

/// <summary>The default: stop the process at once (as Orleans' FailFast) — a fenced silo must not keep serving.</summary>
internal sealed partial class ExitOnFatalError(IHostApplicationLifetime lifetime, ILogger<ExitOnFatalError> logger) : IFatalErrorHandler
{
    public const int ExitCode = 70;

    public void OnFatalError(string reason)
    {
        Log.Exiting(logger, reason);
        lifetime.StopApplication();
        // Give the log a moment, but never wait on a graceful shutdown that may hang.
        _ = Task.Delay(TimeSpan.FromSeconds(2)).ContinueWith(_ => Environment.Exit(ExitCode), TaskScheduler.Default);
    }

    private static partial class Log
    {
        [LoggerMessage(1310, LogLevel.Critical, "Fatal: {Reason}; the silo process exits")]
        public static partial void Exiting(ILogger logger, string reason);
    }
}

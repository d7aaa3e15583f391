using Microsoft.Extensions.Logging;

namespace OrleansDcos.Runtime.Activation;

internal sealed partial class ActivationData
{
    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Warning, "Activation of {GrainId} failed; its waiting requests get the exception")]
        public static partial void ActivationFailed(ILogger logger, Exception exception, GrainId grainId);

        [LoggerMessage(1002, LogLevel.Warning, "OnDeactivateAsync of {GrainId} failed; the activation is removed anyway")]
        public static partial void DeactivationFailed(ILogger logger, Exception exception, GrainId grainId);
    }
}

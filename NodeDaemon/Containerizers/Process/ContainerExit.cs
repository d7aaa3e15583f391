namespace OrleansDcos.NodeDaemon.Containerizers.Process;

/// <summary>How a container ended.</summary>
/// <param name="ExitCode">The exit code when it exited.</param>
/// <param name="Signal">The signal that ended it, when one did.</param>
/// <param name="OomKilled">The kernel killed it for exceeding its memory limit.</param>
/// <param name="Killed">It was ended by a kill the daemon was asked for.</param>
/// <param name="Message">One line for people.</param>
public sealed record ContainerExit(int? ExitCode, int? Signal, bool OomKilled, bool Killed, string Message)
{
    /// <summary>True when it exited with code 0 on its own, within its limits.</summary>
    public bool Succeeded => ExitCode == 0 && !Killed && !OomKilled;
}

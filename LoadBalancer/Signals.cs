using System.Runtime.InteropServices;

namespace OrleansDcos.LoadBalancer;

/// <summary>POSIX signals to haproxy's master process.</summary>
internal static partial class Signals
{
    /// <summary>Reload: the master starts new workers on the new file and lets the old ones finish their connections.</summary>
    public const int SIGUSR2 = 12;

    /// <summary>Soft stop: stop listening, finish the connections, exit.</summary>
    public const int SIGUSR1 = 10;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when it has gone.</summary>
    public static bool Send(int pid, int signal) => kill(pid, signal) == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}

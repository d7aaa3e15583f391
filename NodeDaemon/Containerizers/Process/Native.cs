using System.Globalization;
using System.Runtime.InteropServices;

namespace OrleansDcos.NodeDaemon.Containerizers.Process;

/// <summary>The few POSIX calls the process containerizer needs.</summary>
internal static partial class Native
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    private const int ESRCH = 3;

    /// <summary>Sends <paramref name="signal"/> to a process (pid &gt; 0) or a process group (pid &lt; 0); false when none exists.</summary>
    public static bool Signal(int pid, int signal)
    {
        if (kill(pid, signal) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        return error == ESRCH ? false : throw new IOException($"kill({pid}, {signal}) failed: errno {error}");
    }

    /// <summary>
    /// The start time of process <paramref name="pid"/> (clock ticks since boot, field 22 of <c>/proc/pid/stat</c>),
    /// or null when it does not exist. A pid plus its start time names one process for ever: pids are reused.
    /// </summary>
    public static long? StartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields.Length < 20 || fields[0] == "Z")
        {
            return null; // a zombie has ended; only its exit status is left
        }

        return long.Parse(fields[19], CultureInfo.InvariantCulture);
    }

    /// <summary>True when the process named by pid and start time still runs.</summary>
    public static bool IsAlive(int pid, long startTime) => StartTime(pid) == startTime;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}

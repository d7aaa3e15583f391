using System.Text;

namespace OrleansDcos.NodeDaemon.Containerizers;

/// <summary>
/// The last thing a task wrote to its sandbox's <c>stderr</c>, for the message of a non-zero exit ("the task exited
/// with code 1: httpd: bind: Address in use"): what an operator would open the sandbox for first.
/// </summary>
public static class SandboxStderr
{
    private const int TailBytes = 4096;
    private const int MaxChars = 200;

    /// <summary><paramref name="message"/>, followed by the last non-empty line of the sandbox's stderr when there is one.</summary>
    public static string Explain(string message, string sandbox)
    {
        var line = LastLine(Path.Combine(sandbox, "stderr"));
        return line is null ? message : $"{message}: {line}";
    }

    /// <summary>The file's last non-empty line (at most <see cref="MaxChars"/> characters), or null.</summary>
    public static string? LastLine(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var start = Math.Max(0, file.Length - TailBytes);
            file.Seek(start, SeekOrigin.Begin);
            var buffer = new byte[file.Length - start];
            file.ReadExactly(buffer);
            var text = Encoding.UTF8.GetString(buffer);
            var line = text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);
            if (line is null)
            {
                return null;
            }

            var printable = new string(line.Where(c => !char.IsControl(c)).ToArray());
            return printable.Length <= MaxChars ? printable : printable[..MaxChars] + "…";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

using System.Text;

namespace OrleansDcos.NodeDaemon.Containerizers.Process;

/// <summary>A process's environment as Linux shows it in <c>/proc/&lt;pid&gt;/environ</c>: <c>NAME=value</c> entries, each ended by a NUL.</summary>
public static class ProcessEnvironment
{
    /// <summary>The entries of <paramref name="environ"/>; one without <c>=</c> or with an empty name is left out, a name given twice keeps its last value.</summary>
    public static Dictionary<string, string> Parse(ReadOnlySpan<byte> environ)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var range in environ.Split((byte)0))
        {
            var entry = Encoding.UTF8.GetString(environ[range]);
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                variables[entry[..equals]] = entry[(equals + 1)..];
            }
        }

        return variables;
    }
}

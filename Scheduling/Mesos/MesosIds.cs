using System.Globalization;
using System.Text;

namespace OrleansDcos.Mesos;

/// <summary>
/// Mesos' rules for the ids clients choose (task, executor, framework and agent ids): not empty, at most
/// <see cref="MaxLength"/> characters, not <c>.</c> or <c>..</c>, and no control character, whitespace, <c>/</c>
/// or <c>\</c> — ids become directory and file names on agents, so anything else could leave its root.
/// </summary>
public static class MesosIds
{
    /// <summary>The longest id: a file name's limit (NAME_MAX) on the agents' file systems.</summary>
    public const int MaxLength = 255;

    /// <summary>Why <paramref name="id"/> is not a valid <paramref name="kind"/> (e.g. <c>task_id</c>), or null when it is.</summary>
    public static string? Problem(string? id, string kind)
    {
        if (string.IsNullOrEmpty(id))
        {
            return $"{kind} must not be empty";
        }

        if (id.Length > MaxLength)
        {
            return $"{kind} {Show(id)} is {id.Length} characters long; the limit is {MaxLength}";
        }

        if (id is "." or "..")
        {
            return $"{kind} '{id}' is not allowed (it names a directory)";
        }

        foreach (var c in id)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c is '/' or '\\')
            {
                return $"{kind} {Show(id)} contains {Describe(c)}: ids may not hold '/', '\\', whitespace or control characters";
            }
        }

        return null;
    }

    /// <summary>An id as an error message shows it: quoted, control characters escaped, long ones cut.</summary>
    public static string Show(string id)
    {
        const int shown = 64;
        var text = new StringBuilder("'");
        foreach (var c in id.Length > shown ? id[..shown] : id)
        {
            text.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        text.Append('\'');
        if (id.Length > shown)
        {
            text.Append(CultureInfo.InvariantCulture, $"… ({id.Length} characters)");
        }

        return text.ToString();
    }

    private static string Describe(char c) => c switch
    {
        '/' => "'/'",
        '\\' => "'\\'",
        ' ' => "a space",
        _ => string.Create(CultureInfo.InvariantCulture, $"the character U+{(int)c:X4}"),
    };
}
